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
  /**
   * The parent's address, taken from the signed-in parent's verified identity (the ID token's
   * `email` with `email_verified: true`), never from a form: the sender mails whatever is here.
   */
  parentEmail: string;
  /** The caller's statement that `parentEmail` is the signed-in parent's verified address. Must be `true`. */
  parentEmailVerified: true;
  studentName: string;
  tutorName: string;
  /** What is taught, e.g. "GCSE Maths" or "11+ Verbal Reasoning". No ':' or '/', nothing shaped like a domain name (it goes into the mail subject). */
  subject: string;
  /** Start of the session: ISO 8601 date-time with an offset or Z, e.g. 2026-03-30T16:00:00+01:00. */
  startsAt: string;
  /** Length of the session in minutes, 15-480. */
  durationMinutes: number;
  /** Free text from the parent, shown in the mail body only (never in a header). No bidi controls or other format characters. Optional. */
  notes?: string;
}

/** C0/C1 control characters and the Unicode line/paragraph separators: never allowed in one-line fields. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Names: letters (any script), combining marks, spaces, apostrophes, quotes, hyphens, dots, commas. */
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .,'’"-]*$/u;
/**
 * Subjects taught: letters, digits and the punctuation course names use. No ':' or '/' (no
 * `https://…`, no "Re:"/"Action required:" prefixes in a subject line the recipient trusts).
 */
const SUBJECT = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,'’&+()-]*$/u;
/**
 * A letter or digit, a dot, then two letters: the shape of a domain name (`evil.example`,
 * `bit.ly`), which mail clients turn into a link. Names and course titles do not need it:
 * initials ("J.R.R. Tolkien") have one letter between dots, "St. Paul's" a space after the dot.
 * Refused in every field that reaches the subject line.
 */
const DOMAIN_LIKE = /[\p{L}\p{N}]\.\p{L}{2}/u;
/**
 * More than 3 combining marks in a row (Vietnamese needs 2; "Zalgo" text stacks dozens to
 * overdraw neighbouring lines and hide what a mail says).
 */
const MARK_RUN = /\p{M}{4}/u;
/** Controls other than line breaks and tabs: not allowed even in the free-text notes. */
const CONTROL_EXCEPT_NEWLINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/**
 * Format characters (\p{Cf}: bidi overrides and isolates U+202A-202E, U+2066-2069, zero-width
 * U+200B-200F, U+FEFF, soft hyphen…), private-use (\p{Co}) and lone surrogates (\p{Cs}): they
 * reorder or hide text (Trojan Source, CVE-2021-42574) and have no place in a booking note.
 */
const INVISIBLE = /[\p{Cf}\p{Co}\p{Cs}]/u;

/** A string field; anything else (absent, a number, null) is this problem. */
const text = () => z.string({ error: "is missing or not a string" });

const oneLine = (max: number, pattern: RegExp, what: string) =>
  text()
    // NFC first, so a letter with its accent counts as one character wherever it was typed.
    .transform((s) => s.normalize("NFC").trim())
    .pipe(
      z
        .string()
        .min(1, "is empty")
        .max(max, `is longer than ${max} characters`)
        .refine((s) => !CONTROL.test(s), "contains a line break or control character")
        .refine((s) => pattern.test(s), `contains characters not allowed in ${what}`)
        .refine((s) => !MARK_RUN.test(s), "stacks more than 3 combining marks")
        .refine((s) => !DOMAIN_LIKE.test(s), "looks like a web address"),
    );

/**
 * Email addresses SES will take as one recipient: ASCII, no display name, no list separators,
 * at most 254 characters (RFC 5321 path limit), a dotted domain.
 */
const email = text()
  .max(254, "is longer than 254 characters")
  .refine((s) => !CONTROL.test(s), "contains a line break or control character")
  .pipe(z.email({ error: "is not a valid email address" }));

const bookingSchema = z.object({
  bookingId: text().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 of A-Z, a-z, 0-9, '_' and '-'"),
  parentName: oneLine(100, NAME, "a name"),
  parentEmail: email,
  parentEmailVerified: z.literal(true, { error: "must be true: mail only a signed-in parent's verified address" }),
  studentName: oneLine(100, NAME, "a name"),
  tutorName: oneLine(100, NAME, "a name"),
  subject: oneLine(80, SUBJECT, "a subject name"),
  startsAt: z.iso.datetime({ offset: true, error: "is not an ISO 8601 date-time with an offset (e.g. 2026-03-30T16:00:00+01:00)" }),
  durationMinutes: z.number({ error: "is not a number" }).int("is not a whole number").min(15, "is under 15 minutes").max(480, "is over 8 hours"),
  notes: text()
    .max(1000, "is longer than 1000 characters")
    .refine((s) => !CONTROL_EXCEPT_NEWLINES.test(s), "contains a control character")
    .refine((s) => !INVISIBLE.test(s), "contains bidirectional, invisible or private-use characters")
    .refine((s) => !MARK_RUN.test(s.normalize("NFC")), "stacks more than 3 combining marks")
    .optional(),
});

/** Validates an untrusted booking; throws BookingValidationError listing every problem (never the values). */
export function parseBooking(input: unknown): Booking {
  const parsed = bookingSchema.safeParse(input);
  if (!parsed.success) {
    // The booking is flat: an issue's path is its field, or empty when the input is no object at all.
    const issues: BookingIssue[] = parsed.error.issues.map((i) => ({ field: i.path.length ? String(i.path[0]) : "booking", problem: i.message }));
    throw new BookingValidationError(issues);
  }
  return parsed.data;
}
