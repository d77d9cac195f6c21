import { fields } from "./field";

/** The SES sending domain and its addresses. */
export const mailFields = {
  mailDomain: fields.hostname({ description: "Domain SES sends from (DKIM, SPF and DMARC are set up for it)." }),
  bookingsSender: fields.email({ description: "From address of booking confirmations; must be on the mail domain." }),
  adminEmail: fields.email({ description: "Address copied (CC) on every booking confirmation." }),
};
