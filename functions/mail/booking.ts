import { z } from "zod";
import { BookingIssue, BookingValidationError } from "./errors";

/**
 * A tutoring booking as the site hands it to the mail sender. Everything here is user-supplied and
 * untrusted: it is validated here, escaped in HTML, and never reaches a header unchecked.
 */
export interface Booking {
  /** The site's booking id: 1-64 of A-Z, a-z, 0-9, '_' and '-' (it becomes an SES message tag). */
  bookingId: string;
  parentName: string;
  parentEmail: string;
  studentName: string;
  tutorName: string;
  /** What is taught, e.g. "GCSE Maths" or "11+ Verbal Reasoning". */
  subject: string;
  /** Start of the session: ISO 8601 date-time with an offset or Z, e.g. 2026-03-30T16:00:00+01:00. */
  startsAt: string;
  /** Length of the session in minutes, 15-480. */
  durationMinutes: number;
  /** Free text from the parent, shown in the mail body only (never in a header). Optional. */
  notes?: string;
}

/** C0/C1 control characters and the Unicode line/paragraph separators: never allowed in one-line fields. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Names: letters (any script), combining marks, spaces, apostrophes, quotes, hyphens, dots, commas. */
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .,'’"\-]*$/u;
/** Subjects taught: letters, digits and the punctuation course names use. */
const SUBJECT = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,'’&+()\/:\-]*$/u;
/** Controls other than line breaks and tabs: not allowed even in the free-text notes. */
const CONTROL_EXCEPT_NEWLINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const oneLine = (max: number, pattern: RegExp, what: string) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(1, "is empty")
        .max(max, `is longer than ${max} characters`)
        .refine((s) => !CONTROL.test(s), "contains a line break or control character")
        .refine((s) => pattern.test(s), `contains characters not allowed in ${what}`),
    );

/**
 * Email addresses SES will take as one recipient: ASCII, no display name, no list separators,
 * at most 254 characters (RFC 5321 path limit), a dotted domain.
 */
const email = z
  .string()
  .max(254, "is longer than 254 characters")
  .refine((s) => !CONTROL.test(s), "contains a line break or control character")
  .pipe(z.email({ error: "is not a valid email address" }));

const bookingSchema = z.object({
  bookingId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 of A-Z, a-z, 0-9, '_' and '-'"),
  parentName: oneLine(100, NAME, "a name"),
  parentEmail: email,
  studentName: oneLine(100, NAME, "a name"),
  tutorName: oneLine(100, NAME, "a name"),
  subject: oneLine(80, SUBJECT, "a subject name"),
  startsAt: z.iso.datetime({ offset: true, error: "is not an ISO 8601 date-time with an offset (e.g. 2026-03-30T16:00:00+01:00)" }),
  durationMinutes: z.number({ error: "is not a number" }).int("is not a whole number").min(15, "is under 15 minutes").max(480, "is over 8 hours"),
  notes: z
    .string()
    .max(1000, "is longer than 1000 characters")
    .refine((s) => !CONTROL_EXCEPT_NEWLINES.test(s), "contains a control character")
    .optional(),
});

/** Validates an untrusted booking; throws BookingValidationError listing every problem (never the values). */
export function parseBooking(input: unknown): Booking {
  const parsed = bookingSchema.safeParse(input);
  if (!parsed.success) {
    const issues: BookingIssue[] = parsed.error.issues.map((i) => ({
      field: i.path.length ? i.path.map(String).join(".") : "booking",
      problem: i.code === "invalid_type" && i.path.length ? (i.message.startsWith("Invalid input") ? "is missing or not a string" : i.message) : i.message,
    }));
    throw new BookingValidationError(issues);
  }
  return parsed.data;
}
