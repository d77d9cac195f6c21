import assert from "node:assert/strict";
import { Booking, parseBooking } from "../../../functions/mail/booking";
import { BookingIssue, BookingValidationError } from "../../../functions/mail/errors";

/**
 * parseBooking's schema, rule by rule, at its boundaries (in process, no emulator). The SES specs
 * check what reaches the wire; this one pins each limit, each character class and each problem text
 * the caller gets, so a loosened pattern (a lost anchor, a range one short) fails here.
 */
const VALID: Booking = {
  bookingId: "bk_2026-0001",
  parentName: "Ann O'Neil",
  parentEmail: "ann@example.com",
  parentEmailVerified: true,
  studentName: "Sam O'Neil",
  tutorName: "Dr. Jo Smith-Jones",
  subject: "GCSE Maths",
  startsAt: "2026-03-30T16:00:00+01:00",
  durationMinutes: 60,
};

const booking = (change: Record<string, unknown> = {}): Record<string, unknown> => ({ ...VALID, ...change });

/** The issues parseBooking reports for `input` (it must refuse it). */
function issues(input: unknown): BookingIssue[] {
  try {
    parseBooking(input);
  } catch (error) {
    assert.ok(error instanceof BookingValidationError, String(error));
    return error.issues;
  }
  assert.fail(`accepted ${JSON.stringify(input)}`);
}

const refused = (change: Record<string, unknown>, field: string, problem: string) => assert.deepEqual(issues(booking(change)), [{ field, problem }], JSON.stringify(change));
const accepted = (change: Record<string, unknown>) => assert.doesNotThrow(() => parseBooking(booking(change)), JSON.stringify(change));

describe("parseBooking: the booking schema at its boundaries", () => {
  it("accepts a valid booking and returns it normalised (trimmed, NFC)", () => {
    assert.deepEqual(parseBooking(booking()), VALID);
    assert.equal(parseBooking(booking({ parentName: "  Ann  " })).parentName, "Ann");
    assert.equal(parseBooking(booking({ tutorName: "Jose\u0301" })).tutorName, "Jos\u00e9");
    assert.equal(parseBooking(booking({ notes: "See you then." })).notes, "See you then.");
  });

  it("names: a letter first, then letters, marks, spaces and . , ' ’ \" - only, anchored at both ends", () => {
    for (const name of ["Ann", "Zoë", "José María", "O’Brien", 'Jo "JJ" Smith', "Anne-Marie, Jr.", "李小龍", "J.R.R. Tolkien", "St. Paul"]) accepted({ parentName: name });
    for (const name of ["<Ann", "Ann<", "1Ann", "Ann1", "-Ann", "Ann;", "Ann@example", "Ann_B", "Ann (Mum)"])
      refused({ studentName: name }, "studentName", "contains characters not allowed in a name");
    // The same rule, and the same words, for the parent's, the student's and the tutor's name.
    for (const field of ["parentName", "studentName", "tutorName"]) refused({ [field]: "Ann <b>" }, field, "contains characters not allowed in a name");
  });

  it("subjects: a letter or digit first, then letters, digits and . , ' ’ & + ( ) - only; no ':' or '/'", () => {
    for (const subject of ["GCSE Maths", "11+ Verbal Reasoning", "A-Level Physics (AQA)", "Maths & Science", "Year 6 SATs, English", "Children’s Reading"]) accepted({ subject });
    for (const subject of ["Re: your booking", "Maths/Physics", "(Maths)", "Maths!", "<b>Maths", "Maths>", "Maths_1"]) {
      refused({ subject }, "subject", "contains characters not allowed in a subject name");
    }
  });

  it("refuses the shape of a domain name in every field that reaches the subject line", () => {
    for (const [field, value] of [
      ["subject", "Maths at evil.example"],
      ["parentName", "Ann bit.ly"],
      ["tutorName", "Jo Smith.Co"],
      ["studentName", "Sam a1.xy"],
    ] as const) {
      const problems = issues(booking({ [field]: value })).filter((i) => i.problem === "looks like a web address");
      assert.deepEqual(problems, [{ field, problem: "looks like a web address" }], value);
    }
    accepted({ tutorName: "J.R.R. Tolkien" });
    accepted({ subject: "St. Paul's Latin" });
  });

  it("one-line fields: empty, too long (after trimming and NFC), line breaks and controls", () => {
    accepted({ parentName: "A".repeat(100), subject: "M".repeat(80) });
    accepted({ parentName: `${"A".repeat(100)}   ` });
    accepted({ parentName: "E\u0301".repeat(100) }); // 200 code units, 100 characters once composed
    refused({ parentName: "A".repeat(101) }, "parentName", "is longer than 100 characters");
    refused({ subject: "M".repeat(81) }, "subject", "is longer than 80 characters");
    for (const tutorName of ["", "   "]) {
      assert.deepEqual(issues(booking({ tutorName })), [
        { field: "tutorName", problem: "is empty" },
        { field: "tutorName", problem: "contains characters not allowed in a name" },
      ]);
    }
    for (const c of ["\u0000", "\u0009", "\n", "\r", "\u001f", "\u007f", "\u0085", "\u009f", "\u2028", "\u2029"]) {
      assert.deepEqual(issues(booking({ parentName: `Ann${c}Smith` }))[0], { field: "parentName", problem: "contains a line break or control character" }, JSON.stringify(c));
    }
  });

  it("bounds runs of combining marks at 3 in names and notes (counted after NFC)", () => {
    accepted({ studentName: "A\u0301\u0302\u0303", notes: "a\u0301\u0302\u0303" });
    // x has no precomposed form with an accent: all four marks stay.
    refused({ studentName: "x\u0301\u0302\u0303\u0304" }, "studentName", "stacks more than 3 combining marks");
    refused({ notes: "x\u0316\u0301\u0302\u0303" }, "notes", "stacks more than 3 combining marks");
    // e + U+0301 composes to é: three marks after it are not four.
    accepted({ notes: "e\u0301\u0302\u0303\u0304" });
  });

  it("notes: up to 1000 characters, line breaks and tabs allowed, other controls and invisible characters not", () => {
    accepted({ notes: "n".repeat(1000) });
    accepted({ notes: "Line one\nLine two\r\n\tindented" });
    refused({ notes: "n".repeat(1001) }, "notes", "is longer than 1000 characters");
    for (const c of ["\u0000", "\u0008", "\u000b", "\u000c", "\u000e", "\u001f", "\u007f", "\u009f"]) refused({ notes: `a${c}b` }, "notes", "contains a control character");
    for (const c of ["\u202e", "\u2066", "\u200b", "\ufeff", "\u00ad", "\ue000", "\ud800"])
      refused({ notes: `a${c}b` }, "notes", "contains bidirectional, invisible or private-use characters");
    accepted({ notes: undefined });
  });

  it("booking ids: 1-64 of A-Z, a-z, 0-9, '_' and '-'", () => {
    accepted({ bookingId: "A".repeat(64) });
    accepted({ bookingId: "z" });
    for (const bookingId of ["", "A".repeat(65), "bk 1", "bk.1", "bk/1", "ü"]) refused({ bookingId }, "bookingId", "must be 1-64 of A-Z, a-z, 0-9, '_' and '-'");
  });

  it("email: at most 254 characters, no controls, one plain address", () => {
    const at254 = `${"a".repeat(64)}@${"d".repeat(63)}.${"e".repeat(63)}.${"f".repeat(58)}.uk`;
    assert.equal(at254.length, 254);
    accepted({ parentEmail: at254 });
    refused({ parentEmail: `a${at254}` }, "parentEmail", "is longer than 254 characters");
    refused({ parentEmail: "ann@example.com\r\nBcc: x@example.com" }, "parentEmail", "contains a line break or control character");
    for (const parentEmail of ["ann", "ann@", "Ann <ann@example.com>", "ann@example.com, bob@example.com", "ann@localhost"]) {
      refused({ parentEmail }, "parentEmail", "is not a valid email address");
    }
  });

  it("only a parent address the caller states is verified", () => {
    for (const parentEmailVerified of [false, "true", 1, undefined]) {
      refused({ parentEmailVerified }, "parentEmailVerified", "must be true: mail only a signed-in parent's verified address");
    }
  });

  it("start: ISO 8601 with an offset; duration: whole minutes from 15 to 480", () => {
    accepted({ startsAt: "2026-03-30T15:00:00Z", durationMinutes: 15 });
    accepted({ durationMinutes: 480 });
    const startProblem = "is not an ISO 8601 date-time with an offset (e.g. 2026-03-30T16:00:00+01:00)";
    for (const startsAt of ["2026-03-30T16:00:00", "2026-03-30", "next Tuesday"]) refused({ startsAt }, "startsAt", startProblem);
    // Only moments that exist: the mail shows the date, formatted from what is accepted here.
    for (const startsAt of [
      "2026-02-29T16:00:00Z",
      "2026-04-31T16:00:00+01:00",
      "2026-13-01T16:00:00Z",
      "2026-03-30T24:00:00Z",
      "2026-03-30T23:59:60Z",
      "2026-03-30T16:00:00+24:00",
    ]) {
      refused({ startsAt }, "startsAt", startProblem);
    }
    accepted({ startsAt: "2028-02-29T23:59:59.999-12:00" });
    refused({ durationMinutes: 14 }, "durationMinutes", "is under 15 minutes");
    refused({ durationMinutes: 481 }, "durationMinutes", "is over 8 hours");
    refused({ durationMinutes: 30.5 }, "durationMinutes", "is not a whole number");
    refused({ durationMinutes: "60" }, "durationMinutes", "is not a number");
  });

  it("says which field is missing or not a string, and 'booking' when the input is no booking at all", () => {
    for (const field of ["bookingId", "parentName", "parentEmail", "studentName", "tutorName", "subject"]) {
      for (const value of [undefined, null, 42, ["Ann"]]) refused({ [field]: value }, field, "is missing or not a string");
    }
    // Notes may be left out, but when given they are text.
    for (const notes of [null, 42, { text: "hi" }]) refused({ notes }, "notes", "is missing or not a string");
    for (const input of [null, "booking", 42, []]) {
      const [issue, ...rest] = issues(input);
      assert.equal(issue.field, "booking", JSON.stringify(input));
      assert.equal(rest.length, 0);
      assert.notEqual(issue.problem, "is missing or not a string");
    }
    // Every problem at once, each under its own field.
    assert.deepEqual(
      issues(booking({ bookingId: "x y", durationMinutes: 5 })).map((i) => i.field),
      ["bookingId", "durationMinutes"],
    );
  });
});
