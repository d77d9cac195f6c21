import assert from "node:assert/strict";
import { createServer, Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { SESClient } from "@aws-sdk/client-ses";
import { Booking } from "../../../functions/mail/booking";
import { BookingValidationError, MailLedgerError, MailOutcomeUnknownError, MailRejectedError, MailSendError, MailThrottledError } from "../../../functions/mail/errors";
import { DynamoSendLedger, SendLedger } from "../../../functions/mail/sendLedger";
import { parseBooking } from "../../../functions/mail/booking";
import { createSessionTable, dynaliteClient, startDynalite } from "../../support/dynalite";
import { MailDeps, sendBookingConfirmation } from "../../../functions/mail/sendBookingConfirmation";
import { HTML_TEMPLATE, TEXT_TEMPLATE } from "../../../functions/mail/templates";
import type { EmulatorProcess } from "../../support/emulatorProcess";
import { clearSesStore, sentEmails, sesLocalClient, startSesLocal, StoredEmail } from "../../support/sesLocal";
import { BOOKING_REQUEST } from "../../fixtures/mail/booking";

const SENDER = "bookings@dev.myprivatetutoronline.com";
const ADMIN = "admin-dev@myprivatetutoronline.com";

const booking = (overrides: Partial<Record<keyof Booking, unknown>> = {}): Record<string, unknown> => ({ ...BOOKING_REQUEST, ...overrides });

/** Records the form parameters of every SES request as sent on the wire (the emulator keeps no configuration set or tags). */
function recordWire(client: SESClient): URLSearchParams[] {
  const requests: URLSearchParams[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const body = (args.request as { body?: unknown }).body;
      if (typeof body === "string") requests.push(new URLSearchParams(body));
      return next(args);
    },
    { step: "finalizeRequest", name: "recordWire" },
  );
  return requests;
}

async function expectInvalid(input: Record<string, unknown>, field: string): Promise<BookingValidationError> {
  const error = await sendBookingConfirmation(input, deps).then(
    () => assert.fail(`a booking with a bad ${field} was sent`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof BookingValidationError, `expected BookingValidationError, got ${String(error)}`);
  assert.equal(error.code, "INVALID_BOOKING");
  assert.ok(
    error.issues.some((i) => i.field === field),
    `issues name ${field}: ${JSON.stringify(error.issues)}`,
  );
  return error;
}

let ses: EmulatorProcess;
let client: SESClient;
let wire: URLSearchParams[];
let deps: MailDeps;

describe("sendBookingConfirmation against the SES emulator (aws-ses-v2-local on 127.0.0.1)", function () {
  this.timeout(20_000);

  before(async () => {
    ses = await startSesLocal();
    client = sesLocalClient(ses.endpoint);
    wire = recordWire(client);
    deps = { ses: client, sender: SENDER, adminEmail: ADMIN };
  });
  after(async () => {
    client?.destroy();
    await ses?.stop();
  });
  beforeEach(async () => {
    await clearSesStore(ses.endpoint);
    wire.length = 0;
  });

  async function onlyEmail(): Promise<StoredEmail> {
    const emails = await sentEmails(ses.endpoint);
    assert.equal(emails.length, 1, "exactly one message reached SES");
    return emails[0];
  }

  describe("a valid booking", () => {
    let messageId: string;
    let email: StoredEmail;
    let sent: URLSearchParams[];
    before(async () => {
      await clearSesStore(ses.endpoint);
      wire.length = 0;
      messageId = await sendBookingConfirmation(booking({ notes: "Please focus on fractions.\nThank you!" }), deps);
      email = await onlyEmail();
      sent = [...wire];
    });

    it("returns the MessageId SES gave the message", () => {
      assert.match(messageId, /^ses-\d+$/);
      assert.equal(email.messageId, messageId);
    });

    it("goes to the parent, with the admin in CC and as Reply-To, from the bookings sender", () => {
      assert.deepEqual(email.destination.to, ["jane.smith@example.com"]);
      assert.deepEqual(email.destination.cc, [ADMIN]);
      assert.deepEqual(email.destination.bcc, []);
      assert.deepEqual(email.replyTo, [ADMIN]);
      assert.equal(email.from, `My Private Tutor Online <${SENDER}>`);
    });

    it("has a one-line subject naming the student, the subject and the UK time", () => {
      assert.equal(email.subject, "Tutoring session confirmed: Tom Smith, GCSE Maths, Monday, 30 March 2026 at 16:00 BST");
    });

    it("has an HTML part and a plain-text part with the same details", () => {
      for (const part of [email.body.html!, email.body.text!]) {
        for (const detail of ["Jane Smith", "Tom Smith", "Dr Ada Lovelace", "GCSE Maths", "Monday, 30 March 2026 at 16:00 BST", "1 hour 30 minutes", "bk_2026-0001", ADMIN]) {
          assert.ok(part.includes(detail), `part includes ${detail}`);
        }
      }
      assert.match(email.body.html!, /^<!DOCTYPE html>/);
      assert.ok(email.body.html!.includes("Please focus on fractions.<br>\nThank you!"), "notes keep their line breaks in HTML");
      assert.ok(!email.body.text!.includes("<"), "the plain-text part has no markup");
      assert.ok(email.body.text!.includes("Please focus on fractions.\nThank you!"));
    });

    it("is sent through the mpto-transactional configuration set with message tags (checked on the wire: the emulator does not keep them)", () => {
      assert.equal(sent.length, 1);
      const params = sent[0];
      assert.equal(params.get("Action"), "SendEmail");
      assert.equal(params.get("ConfigurationSetName"), "mpto-transactional");
      assert.equal(params.get("Tags.member.1.Name"), "mail-type");
      assert.equal(params.get("Tags.member.1.Value"), "booking-confirmation");
      assert.equal(params.get("Tags.member.2.Name"), "booking-id");
      assert.equal(params.get("Tags.member.2.Value"), "bk_2026-0001");
      assert.equal(params.get("Message.Subject.Charset"), "UTF-8");
      assert.equal(params.get("Message.Body.Html.Charset"), "UTF-8");
      assert.equal(params.get("Message.Body.Text.Charset"), "UTF-8");
    });
  });

  describe("hostile input", () => {
    it("renders script, markup and quotes in the free-text notes inert in HTML", async () => {
      const notes = `<script>alert("x")</script><img src=x onerror=alert(1)> it's "fine" & <b>bold</b>`;
      await sendBookingConfirmation(booking({ notes }), deps);
      const { body } = await onlyEmail();
      const html = body.html!;
      assert.ok(!/<script|<img|<b>/i.test(html), "no user markup survives in the HTML part");
      assert.ok(html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; it&#x27;s &quot;fine&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"));
      // text/plain is never interpreted: the notes read exactly as written.
      assert.ok(body.text!.includes(notes));
    });

    it("escapes quotes and apostrophes in names in HTML and keeps them readable in text and subject", async () => {
      await sendBookingConfirmation(booking({ parentName: `Siobhán O'Brien`, studentName: `Ann "Annie" O'Brien` }), deps);
      const email = await onlyEmail();
      assert.ok(email.body.html!.includes("Dear Siobhán O&#x27;Brien,"));
      assert.ok(email.body.html!.includes("Ann &quot;Annie&quot; O&#x27;Brien"));
      assert.ok(email.body.text!.includes(`Dear Siobhán O'Brien,`));
      assert.ok(email.subject.startsWith(`Tutoring session confirmed: Ann "Annie" O'Brien,`));
    });

    it("rejects markup in names with a typed error and sends nothing", async () => {
      for (const field of ["parentName", "studentName", "tutorName"] as const) {
        const error = await expectInvalid(booking({ [field]: "<script>alert(1)</script>" }), field);
        assert.ok(!error.message.includes("<script>"), "the error never repeats the hostile value");
      }
      await expectInvalid(booking({ subject: "Maths<svg onload=alert(1)>" }), "subject");
      assert.equal((await sentEmails(ses.endpoint)).length, 0);
    });

    it("rejects CR, LF and other line breaks in every one-line field, so none reaches the subject header", async () => {
      const breaks = ["\r\nBcc: victim@example.com", "\nX-Injected: 1", "\rX", "\u2028X", "\u0085X", "\u0000X", "\tX"];
      for (const field of ["parentName", "studentName", "tutorName", "subject"] as const) {
        for (const b of breaks) await expectInvalid(booking({ [field]: `Tom${b}` }), field);
      }
      assert.equal((await sentEmails(ses.endpoint)).length, 0);
      assert.equal(wire.length, 0, "nothing went on the wire");
    });

    it("rejects very long strings", async () => {
      await expectInvalid(booking({ parentName: "A".repeat(10_000) }), "parentName");
      await expectInvalid(booking({ studentName: "B".repeat(101) }), "studentName");
      await expectInvalid(booking({ subject: "C".repeat(81) }), "subject");
      await expectInvalid(booking({ notes: "D".repeat(1001) }), "notes");
      await expectInvalid(booking({ parentEmail: `${"e".repeat(250)}@example.com` }), "parentEmail");
      await expectInvalid(booking({ bookingId: "f".repeat(65) }), "bookingId");
      assert.equal((await sentEmails(ses.endpoint)).length, 0);
    });

    it("rejects invalid and multi-recipient email addresses", async () => {
      const bad = [
        "not-an-email",
        "jane@",
        "@example.com",
        "jane@example",
        "jane smith@example.com",
        "Jane <jane@example.com>",
        "jane@example.com, eve@example.com",
        "jane@example.com;eve@example.com",
        "jane@example.com\r\nBcc: eve@example.com",
        "jane@example.com\n",
        "",
        42,
      ];
      for (const parentEmail of bad) await expectInvalid(booking({ parentEmail }), "parentEmail");
      assert.equal((await sentEmails(ses.endpoint)).length, 0);
    });

    it("rejects bad booking ids, dates and durations, listing every problem at once", async () => {
      const error = await expectInvalid(booking({ bookingId: "id with spaces", startsAt: "next Tuesday", durationMinutes: 5.5 }), "bookingId");
      assert.deepEqual(error.issues.map((i) => i.field).sort(), ["bookingId", "durationMinutes", "startsAt"]);
      await expectInvalid(booking({ startsAt: "2026-03-30T16:00:00" }), "startsAt"); // no offset: ambiguous
      await expectInvalid(booking({ durationMinutes: 600 }), "durationMinutes");
      await expectInvalid(booking({ notes: "ok\u0007bell" }), "notes");
    });

    it("rejects what is not a booking at all", async () => {
      for (const input of [null, undefined, "booking", 42, []]) {
        const error = await sendBookingConfirmation(input, deps).then(
          () => assert.fail("sent"),
          (e: unknown) => e,
        );
        assert.ok(error instanceof BookingValidationError);
      }
      const { parentEmail: _omitted, ...missing } = booking();
      await expectInvalid(missing, "parentEmail");
    });

    it("refuses subjects with ':' or '/', and web addresses in any field that reaches the subject line", async () => {
      for (const subject of ["Maths: action required", "https//evil.example", "Maths / English", "Re: your account", "evil.com", "Maths bit.ly", "GCSE.Maths"]) await expectInvalid(booking({ subject }), "subject");
      for (const field of ["parentName", "studentName", "tutorName"] as const) {
        for (const name of ["evil.com", "Tom paypal.co", "Ann Smith.info"]) await expectInvalid(booking({ [field]: name }), field);
      }
      assert.equal((await sentEmails(ses.endpoint)).length, 0);
      // What real names and course titles need still passes.
      for (const ok of [{ subject: "11+ Verbal Reasoning" }, { subject: "A-level Physics (Y.12)" }, { tutorName: "J.R.R. Tolkien" }, { tutorName: "Dr. Ada Lovelace" }, { studentName: "St. John-Smith" }]) {
        assert.doesNotThrow(() => parseBooking(booking(ok)), JSON.stringify(ok));
      }
    });

    it("refuses bidirectional overrides, zero-width, other format and private-use characters in the notes", async () => {
      for (const c of ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\u00ad", "\ue000", "\ud800"]) {
        await expectInvalid(booking({ notes: `Pay here ${c}gnp.exe` }), "notes");
      }
      assert.doesNotThrow(() => parseBooking(booking({ notes: "Merci beaucoup — à lundi!\n日本語もOK" })));
    });

    it("bounds runs of combining marks (no 'Zalgo' text), counting after NFC normalisation", async () => {
      const zalgo = "T" + "\u0301\u0302\u0303\u0304";
      for (const field of ["parentName", "studentName", "tutorName", "subject", "notes"] as const) await expectInvalid(booking({ [field]: `${zalgo}om` }), field);
      // Vietnamese stacks two marks; decomposed input is composed first.
      assert.equal(parseBooking(booking({ studentName: "Nguyễn Thị" })).studentName, "Nguyễn Thị");
      assert.equal(parseBooking(booking({ studentName: "Nguye\u0302\u0303n" })).studentName, "Nguy\u1ec5n");
      assert.doesNotThrow(() => parseBooking(booking({ studentName: "A\u0301\u0302\u0303" })), "three marks in a row are allowed");
    });

    it("mails only a parent address the caller states is verified", async () => {
      for (const parentEmailVerified of [false, undefined, "true", 1]) await expectInvalid(booking({ parentEmailVerified }), "parentEmailVerified");
      assert.equal((await sentEmails(ses.endpoint)).length, 0);
    });

    it("refuses a misconfigured sender before anything is sent", async () => {
      await assert.rejects(sendBookingConfirmation(booking(), { ...deps, sender: "bookings@example.com\r\nBcc: x@example.com" }), /plain email address/);
      await assert.rejects(sendBookingConfirmation(booking(), { ...deps, senderName: "Evil\r\nBcc: x" }), /senderName/);
      assert.equal(wire.length, 0);
    });
  });

  it("uses only escaping Handlebars expressions in its templates (no triple-stash)", () => {
    assert.ok(!HTML_TEMPLATE.includes("{{{") && !HTML_TEMPLATE.includes("{{&"));
    assert.ok(!TEXT_TEMPLATE.includes("{{{"));
  });
});

/**
 * The emulator never throttles or rejects, so these run against a loopback HTTP server that answers
 * with the error documents SES (query protocol) returns; the real SDK client parses them.
 */
describe("sendBookingConfirmation when SES refuses (loopback server replying with SES error documents)", () => {
  let server: Server;
  let endpoint: string;
  let reply: { status: number; code: string; message: string };

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(reply.status, { "content-type": "text/xml" });
        res.end(
          `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${reply.code}</Code><Message>${reply.message}</Message></Error><RequestId>0a1b2c3d-0000-4000-8000-000000000000</RequestId></ErrorResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function failure(status: number, code: string, message: string): Promise<unknown> {
    reply = { status, code, message };
    const c = sesLocalClient(endpoint);
    try {
      return await sendBookingConfirmation(booking(), { ses: c, sender: SENDER, adminEmail: ADMIN }).then(
        () => assert.fail("SES refused but the call succeeded"),
        (e: unknown) => e,
      );
    } finally {
      c.destroy();
    }
  }

  it("turns SES throttling into a retryable MailThrottledError", async () => {
    const error = await failure(400, "Throttling", "Maximum sending rate exceeded.");
    assert.ok(error instanceof MailThrottledError);
    assert.equal(error.code, "MAIL_THROTTLED");
    assert.equal(error.awsCode, "Throttling");
    assert.equal(error.retryable, true);
  });

  it("turns a rejected message into a non-retryable MailRejectedError", async () => {
    const error = await failure(400, "MessageRejected", "Email address is not verified.");
    assert.ok(error instanceof MailRejectedError);
    assert.equal(error.code, "MAIL_REJECTED");
    assert.equal(error.awsCode, "MessageRejected");
    assert.equal(error.retryable, false);
  });

  it("treats a paused configuration set as a rejection", async () => {
    const error = await failure(400, "ConfigurationSetSendingPausedException", "Sending is paused for this configuration set.");
    assert.ok(error instanceof MailRejectedError);
    assert.equal(error.awsCode, "ConfigurationSetSendingPausedException");
  });

  it("turns other failures into MailSendError", async () => {
    const error = await failure(500, "InternalFailure", "We encountered an internal error.");
    assert.ok(error instanceof MailSendError);
    assert.equal(error.code, "MAIL_SEND_FAILED");
    assert.equal(error.retryable, true);
  });

  it("says 'not sent, retry' when nothing listens, and 'outcome unknown, do not retry' when the answer is lost", async () => {
    const closed = sesLocalClient("http://127.0.0.1:9"); // discard port: nothing listens
    const refused = await sendBookingConfirmation(booking(), { ses: closed, sender: SENDER, adminEmail: ADMIN }).catch((e: unknown) => e);
    closed.destroy();
    assert.ok(refused instanceof MailSendError && refused.retryable, `connection refused: ${String(refused)}`);
    // A server that reads the whole request, then drops the connection: SES may have accepted it.
    const dropper = createServer((req) => {
      req.resume();
      req.on("end", () => req.socket.destroy());
    });
    await new Promise<void>((resolve) => dropper.listen(0, "127.0.0.1", resolve));
    const c = sesLocalClient(`http://127.0.0.1:${(dropper.address() as AddressInfo).port}`);
    try {
      const lost = await sendBookingConfirmation(booking(), { ses: c, sender: SENDER, adminEmail: ADMIN }).catch((e: unknown) => e);
      assert.ok(lost instanceof MailOutcomeUnknownError, String(lost));
      assert.equal(lost.code, "MAIL_OUTCOME_UNKNOWN");
      assert.equal(lost.retryable, false);
    } finally {
      c.destroy();
      await new Promise((resolve) => dropper.close(resolve));
    }
  });
});

/** The send ledger on the session table's schema in dynalite, with a loopback "SES" whose answers the test chooses. */
describe("idempotent sending: the booking-scoped ledger (DynamoSendLedger against dynalite)", () => {
  let dynalite: EmulatorProcess;
  let dynamo: ReturnType<typeof dynaliteClient>;
  let server: Server;
  let endpoint: string;
  let answer: "ok" | "throttle" | "drop";
  let received = 0;
  let nowMs = Date.UTC(2030, 0, 1);
  let ledger: DynamoSendLedger;
  let table = 0;

  before(async () => {
    dynalite = await startDynalite();
    dynamo = dynaliteClient(dynalite.endpoint);
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        received++;
        if (answer === "drop") {
          req.socket.destroy();
          return;
        }
        if (answer === "throttle") {
          res.writeHead(400, { "content-type": "text/xml" });
          res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>r</RequestId></ErrorResponse>`);
          return;
        }
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(`<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>msg-${received}</MessageId></SendEmailResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SendEmailResponse>`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    dynamo?.destroy();
    await dynalite?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });
  beforeEach(async () => {
    const tableName = `ledger-${++table}`;
    await createSessionTable(dynamo, tableName);
    ledger = new DynamoSendLedger({ client: dynamo, tableName, leaseSeconds: 600, now: () => nowMs });
    received = 0;
    answer = "ok";
  });

  const send = async (input = booking(), with_: { ledger?: SendLedger } = { ledger }) => {
    const c = sesLocalClient(endpoint);
    try {
      return await sendBookingConfirmation(input, { ses: c, sender: SENDER, adminEmail: ADMIN, ...with_ });
    } finally {
      c.destroy();
    }
  };

  it("sends a booking's confirmation once: a retry returns the first MessageId without mailing", async () => {
    const first = await send();
    const again = await send();
    assert.equal(first, "msg-1");
    assert.equal(again, "msg-1");
    assert.equal(received, 1, "one SendEmail reached SES");
    const other = await send(booking({ bookingId: "bk_2026-0002" }));
    assert.equal(other, "msg-2", "another booking is another mail");
    const rescheduled = await send(booking({ startsAt: "2026-04-06T16:00:00+01:00" }));
    assert.equal(rescheduled, "msg-3", "a changed booking (rescheduled) gets its own confirmation");
    assert.equal(received, 3);
  });

  it("does not re-send after an unknown outcome within the lease, and may once the lease has ended", async () => {
    answer = "drop";
    await assert.rejects(send(), MailOutcomeUnknownError);
    answer = "ok";
    await assert.rejects(send(), (e: unknown) => e instanceof MailOutcomeUnknownError && e.awsCode === "AttemptInProgress");
    assert.equal(received, 1, "the retry within the lease did not reach SES");
    nowMs += 601_000;
    assert.equal(await send(), "msg-2");
    assert.equal(await send(), "msg-2");
    assert.equal(received, 2);
  });

  it("releases the claim when SES certainly refused, so the retry sends", async () => {
    answer = "throttle";
    await assert.rejects(send(), (e: unknown) => e instanceof MailThrottledError && e.retryable);
    answer = "ok";
    assert.equal(await send(), "msg-2");
    assert.equal(received, 2);
  });

  it("sends nothing when the ledger is unreachable", async () => {
    const broken: SendLedger = { claim: () => Promise.reject(new Error("down")), complete: async () => {}, release: async () => {} };
    await assert.rejects(send(booking(), { ledger: broken }), (e: unknown) => e instanceof MailLedgerError && e.retryable);
    assert.equal(received, 0);
  });

  it("without a ledger, a repeated call mails again (why production passes one)", async () => {
    await send(booking(), {});
    await send(booking(), {});
    assert.equal(received, 2);
  });
});
