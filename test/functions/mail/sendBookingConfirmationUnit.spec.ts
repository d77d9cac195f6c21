import assert from "node:assert/strict";
import { SendEmailCommand, SendEmailCommandInput } from "@aws-sdk/client-ses";
import { BookingValidationError, MailLedgerError, MailOutcomeUnknownError, MailThrottledError } from "../../../functions/mail/errors";
import { confirmationSubject, MailDeps, sendBookingConfirmation } from "../../../functions/mail/sendBookingConfirmation";
import { ClaimResult, SendLedger } from "../../../functions/mail/sendLedger";

/**
 * sendBookingConfirmation in process, with an SES stand-in that records the SendEmail input: the
 * exact headers, the duration and time wording, the deployment-setting checks and the ledger
 * protocol (the SES emulator spec shows the same mail arriving; this one pins each piece).
 */
const BOOKING = {
  bookingId: "bk_1",
  parentName: "Jane Smith",
  parentEmail: "jane@example.com",
  parentEmailVerified: true,
  studentName: "Tom Smith",
  tutorName: "Ada Lovelace",
  subject: "GCSE Maths",
  startsAt: "2026-03-30T16:00:00+01:00",
  durationMinutes: 90,
};

function fakeSes(answer: () => Promise<{ MessageId?: string }> = async () => ({ MessageId: "m-1" })) {
  const inputs: SendEmailCommandInput[] = [];
  const ses: MailDeps["ses"] = {
    send: (async (command: SendEmailCommand) => {
      inputs.push(command.input);
      return answer();
    }) as MailDeps["ses"]["send"],
  };
  return { ses, inputs };
}

const deps = (ses: MailDeps["ses"], more: Partial<MailDeps> = {}): MailDeps => ({ ses, sender: "bookings@mpto.example", adminEmail: "admin@mpto.example", ...more });

async function sent(change: Record<string, unknown> = {}, more: Partial<MailDeps> = {}): Promise<SendEmailCommandInput> {
  const { ses, inputs } = fakeSes();
  assert.equal(await sendBookingConfirmation({ ...BOOKING, ...change }, deps(ses, more)), "m-1");
  assert.equal(inputs.length, 1);
  return inputs[0];
}

describe("sendBookingConfirmation in process (an SES stand-in records the request)", () => {
  it("addresses the parent, CCs the admin as Reply-To, from the named sender, through the configuration set with tags", async () => {
    const input = await sent();
    assert.deepEqual(
      { Source: input.Source, Destination: input.Destination, ReplyToAddresses: input.ReplyToAddresses, ConfigurationSetName: input.ConfigurationSetName, Tags: input.Tags },
      {
        Source: "My Private Tutor Online <bookings@mpto.example>",
        Destination: { ToAddresses: ["jane@example.com"], CcAddresses: ["admin@mpto.example"] },
        ReplyToAddresses: ["admin@mpto.example"],
        ConfigurationSetName: "mpto-transactional",
        Tags: [
          { Name: "mail-type", Value: "booking-confirmation" },
          { Name: "booking-id", Value: "bk_1" },
        ],
      },
    );
    assert.deepEqual(input.Message!.Subject, { Data: "Tutoring session confirmed: Tom Smith, GCSE Maths, Monday, 30 March 2026 at 16:00 BST", Charset: "UTF-8" });
    assert.equal(input.Message!.Body!.Html!.Charset, "UTF-8");
    assert.equal(input.Message!.Body!.Text!.Charset, "UTF-8");
    // Each part in its place: the HTML document, and the plain text that reads the same.
    assert.match(input.Message!.Body!.Html!.Data!, /^<!DOCTYPE html>\n[^]*<p>Dear Jane Smith,<\/p>/);
    assert.match(input.Message!.Body!.Text!.Data!, /^Tutoring session confirmed\n\nDear Jane Smith,\n/);
  });

  it("takes the sender name, configuration set and time zone from the deployment settings", async () => {
    const input = await sent({}, { senderName: "MPTO Bookings 2", configurationSetName: "other-set", timeZone: "Asia/Tokyo" });
    assert.equal(input.Source, "MPTO Bookings 2 <bookings@mpto.example>");
    assert.equal(input.ConfigurationSetName, "other-set");
    assert.match(input.Message!.Subject!.Data!, /Tuesday, 31 March 2026 at 00:00 GMT\+9$/);
  });

  it("words the duration in hours and minutes, singular and plural", async () => {
    for (const [minutes, words] of [
      [15, "15 minutes"],
      [60, "1 hour"],
      [61, "1 hour 1 minute"],
      [90, "1 hour 30 minutes"],
      [120, "2 hours"],
      [121, "2 hours 1 minute"],
      [480, "8 hours"],
    ] as const) {
      const text = (await sent({ durationMinutes: minutes })).Message!.Body!.Text!.Data!;
      assert.ok(text.includes(`Length: ${words}\n`), `${minutes}: ${text}`);
    }
  });

  it("refuses settings that could shape a header, before anything is sent", async () => {
    const { ses, inputs } = fakeSes();
    const refused = async (more: Partial<MailDeps>, message: string) => await assert.rejects(sendBookingConfirmation(BOOKING, deps(ses, more)), { message });
    const name = "MailDeps.senderName must be 1-64 of A-Z, a-z, 0-9 and spaces";
    for (const senderName of ["", "x".repeat(65), "Bob <evil@x.com>", "Ann\r\nBcc: x", "Zoë"]) await refused({ senderName }, name);
    assert.equal(await sendBookingConfirmation(BOOKING, deps(fakeSes().ses, { senderName: "x".repeat(64) })), "m-1");
    for (const sender of ["bookings", "a@b", "<a@b.co>", "a@b.co, c@d.co", "a@b.co\n", "x@b.co evil", `${"a".repeat(65)}@b.co`])
      await refused({ sender }, "MailDeps.sender must be a plain email address");
    for (const adminEmail of ["admin", "admin@example.com>", " admin@example.com"]) await refused({ adminEmail }, "MailDeps.adminEmail must be a plain email address");
    await refused({ timeZone: "Mars/Olympus" }, "Invalid booking: timeZone is not an IANA time zone");
    assert.equal(inputs.length, 0);
    assert.ok((await sent({}, { sender: "a.b_c%d+e-f@mail-1.example.co.uk" })).Source!.endsWith("<a.b_c%d+e-f@mail-1.example.co.uk>"));
  });

  it("checks the finished subject line for controls once more", () => {
    assert.equal(confirmationSubject({ studentName: "Tom", subject: "Maths" }, "Monday"), "Tutoring session confirmed: Tom, Maths, Monday");
    for (const c of ["\r", "\n", "\u0000", "\u001f", "\u007f", "\u009f", "\u2028", "\u2029"]) {
      assert.throws(
        () => confirmationSubject({ studentName: "Tom", subject: "Maths" }, `Monday${c}`),
        (e: unknown) => e instanceof BookingValidationError && e.issues[0].field === "subject line" && e.issues[0].problem === "contains a line break or control character",
        JSON.stringify(c),
      );
    }
  });

  it("treats an answer without a MessageId as a failure, and says so in the cause it logs", async () => {
    const { ses } = fakeSes(async () => ({}));
    await assert.rejects(
      sendBookingConfirmation(BOOKING, deps(ses)),
      (e: unknown) => e instanceof MailOutcomeUnknownError && e.awsCode === "MissingMessageId" && e.cause instanceof Error && e.cause.message === "SES returned no MessageId",
    );
  });

  it("passes SES's refusal on, classified, with or without a ledger, even when giving the claim back fails", async () => {
    const throttled = () => Promise.reject(Object.assign(new Error("Rate exceeded"), { name: "Throttling", $metadata: { httpStatusCode: 400 } }));
    const stuck: SendLedger = { claim: async () => ({ state: "claimed" }), complete: async () => {}, release: () => Promise.reject(new Error("ledger down")) };
    for (const ledger of [undefined, stuck]) {
      await assert.rejects(
        sendBookingConfirmation(BOOKING, deps(fakeSes(throttled).ses, { ledger })),
        (e: unknown) => e instanceof MailThrottledError && e.retryable,
        String(ledger),
      );
    }
  });

  describe("with a ledger", () => {
    function ledger(claim: () => Promise<ClaimResult>) {
      const calls: string[] = [];
      const l: SendLedger = {
        claim: async (key) => (calls.push(`claim ${key.split(":")[0]}`), claim()),
        complete: async (_key, id) => void calls.push(`complete ${id}`),
        release: async () => void calls.push("release"),
      };
      return { l, calls };
    }

    it("claims, sends and completes with the MessageId", async () => {
      const { l, calls } = ledger(async () => ({ state: "claimed" }));
      const { ses, inputs } = fakeSes();
      assert.equal(await sendBookingConfirmation(BOOKING, deps(ses, { ledger: l })), "m-1");
      assert.deepEqual(calls, ["claim booking-confirmation", "complete m-1"]);
      assert.equal(inputs.length, 1);
    });

    it("answers a sent claim with its MessageId and a pending one with MAIL_OUTCOME_UNKNOWN, sending neither", async () => {
      const { ses, inputs } = fakeSes();
      assert.equal(await sendBookingConfirmation(BOOKING, deps(ses, { ledger: ledger(async () => ({ state: "sent", messageId: "m-0" })).l })), "m-0");
      await assert.rejects(
        sendBookingConfirmation(BOOKING, deps(ses, { ledger: ledger(async () => ({ state: "pending" })).l })),
        (e: unknown) => e instanceof MailOutcomeUnknownError && e.awsCode === "AttemptInProgress" && !e.retryable,
      );
      assert.equal(inputs.length, 0);
    });

    it("releases the claim only when SES certainly did not take the message", async () => {
      const refusedBySes = Object.assign(new Error("Rate exceeded"), { name: "Throttling", $metadata: { httpStatusCode: 400 } });
      const lost = Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
      for (const [error, expected] of [
        [refusedBySes, ["claim booking-confirmation", "release"]],
        [lost, ["claim booking-confirmation"]],
      ] as const) {
        const { l, calls } = ledger(async () => ({ state: "claimed" }));
        await assert.rejects(sendBookingConfirmation(BOOKING, deps(fakeSes(() => Promise.reject(error)).ses, { ledger: l })));
        assert.deepEqual(calls, expected, error.name);
      }
    });

    it("turns a failing claim into MAIL_LEDGER_UNAVAILABLE, and ignores a failing completion (SES took the mail)", async () => {
      const down = new Error("down");
      await assert.rejects(
        sendBookingConfirmation(BOOKING, deps(fakeSes().ses, { ledger: { claim: () => Promise.reject(down), complete: async () => {}, release: async () => {} } })),
        (e: unknown) => e instanceof MailLedgerError && e.cause === down,
      );
      const flaky: SendLedger = { claim: async () => ({ state: "claimed" }), complete: () => Promise.reject(down), release: async () => {} };
      assert.equal(await sendBookingConfirmation(BOOKING, deps(fakeSes().ses, { ledger: flaky })), "m-1");
    });
  });
});
