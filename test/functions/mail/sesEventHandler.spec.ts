import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleHandler } from "../../../components/shared/bundle";
import { createHandler, HandlerResult, pseudonymKeyFrom } from "../../../functions/mail/sesEventHandler";
import { MalformedNotificationError, normaliseAddress, parseSesNotification, redactRecipient, scrubText } from "../../../functions/mail/sesEvents";

const FIXTURES = join(__dirname, "..", "..", "fixtures", "ses");
const sample = (file: string): string => readFileSync(join(FIXTURES, file), "utf8");
const NOW = Date.parse("2026-03-30T12:00:00Z");

/** An SNS record as Lambda delivers it (shape from the Lambda developer guide's SNS event example). */
function snsRecord(message: unknown, id = "95df01b4-ee98-5cb9-9903-4c221d41eb5e"): Record<string, unknown> {
  return {
    EventVersion: "1.0",
    EventSubscriptionArn: "arn:aws:sns:eu-west-2:123456789012:mail-events:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
    EventSource: "aws:sns",
    Sns: {
      SignatureVersion: "1",
      Timestamp: "2026-03-30T11:59:59.000Z",
      Signature: "EXAMPLE",
      SigningCertUrl: "https://sns.eu-west-2.amazonaws.com/SimpleNotificationService-example.pem",
      MessageId: id,
      Message: message,
      MessageAttributes: {},
      Type: "Notification",
      UnsubscribeUrl: "https://sns.eu-west-2.amazonaws.com/?Action=Unsubscribe",
      TopicArn: "arn:aws:sns:eu-west-2:123456789012:mail-events",
      Subject: null,
    },
  };
}

/**
 * Fails unless CloudWatch would extract metrics from `doc`, per the embedded metric format
 * specification (CloudWatch user guide, "Specification: Embedded metric format", and its JSON
 * schema): a Timestamp in epoch ms; each MetricDirective with a Namespace, at least one
 * DimensionSet (an empty set is a metric without dimensions), every dimension key a root member
 * with a string value, every metric Name a root member with a number.
 */
function assertExtractable(doc: Record<string, any>): void {
  assert.ok(Number.isInteger(doc._aws.Timestamp), "Timestamp in epoch milliseconds");
  assert.ok(Array.isArray(doc._aws.CloudWatchMetrics) && doc._aws.CloudWatchMetrics.length > 0, "CloudWatchMetrics: at least one MetricDirective");
  for (const directive of doc._aws.CloudWatchMetrics) {
    assert.ok(typeof directive.Namespace === "string" && directive.Namespace.length > 0 && directive.Namespace.length <= 255, "Namespace");
    assert.ok(Array.isArray(directive.Dimensions) && directive.Dimensions.length >= 1, `Dimensions: at least one DimensionSet, got ${JSON.stringify(directive.Dimensions)}`);
    for (const set of directive.Dimensions) {
      assert.ok(Array.isArray(set) && set.length <= 30, "a DimensionSet is an array of at most 30 keys");
      for (const key of set) assert.equal(typeof doc[key], "string", `dimension ${JSON.stringify(key)} is a root member with a string value`);
    }
    assert.ok(Array.isArray(directive.Metrics) && directive.Metrics.length > 0 && directive.Metrics.length <= 100, "Metrics: 1-100 definitions");
    for (const metric of directive.Metrics) assert.equal(typeof doc[metric.Name], "number", `metric ${JSON.stringify(metric.Name)} is a root member with a number`);
  }
}

interface Run {
  result: HandlerResult;
  lines: Record<string, any>[];
  raw: string;
}

const KEY = randomBytes(32);

async function run(event: unknown, { pseudonymKey }: { pseudonymKey: Buffer | undefined } = { pseudonymKey: KEY }): Promise<Run> {
  const written: string[] = [];
  const handler = createHandler({ write: (line) => written.push(line), now: () => NOW, namespace: "MPTO/Mail", pseudonymKey });
  const result = await handler(event);
  for (const line of written) assert.ok(!line.includes("\n"), "one JSON document per line");
  const lines = written.map((l) => JSON.parse(l));
  for (const doc of lines) if (doc._aws) assertExtractable(doc);
  return { result, lines, raw: written.join("\n") };
}

const logs = (r: Run) => r.lines.filter((l) => !l._aws);
const metrics = (r: Run) => r.lines.filter((l) => l._aws);
/** Computed independently of the code under test: HMAC-SHA-256 of the lower-cased address, 16 hex digits. */
const pseudonym = (address: string, key = KEY) => createHmac("sha256", key).update(address).digest("hex").slice(0, 16);

describe("SES event handler (Lambda, SNS-wrapped SES notifications)", () => {
  describe("with the event samples from the SES developer guide", () => {
    it("logs a bounce as a structured warning with its type, status and pseudonymised recipient", async () => {
      const r = await run({ Records: [snsRecord(sample("event-bounce.json"))] });
      assert.deepEqual(r.result, { processed: 1, malformed: 0, byType: { Bounce: 1 } });
      const [line] = logs(r);
      assert.equal(line.level, "WARN");
      assert.equal(line.msg, "ses-event");
      assert.equal(line.timestamp, "2026-03-30T12:00:00.000Z");
      assert.equal(line.eventType, "Bounce");
      assert.equal(line.messageId, "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000");
      assert.equal(line.snsMessageId, "95df01b4-ee98-5cb9-9903-4c221d41eb5e");
      assert.equal(line.bounceType, "Permanent");
      assert.equal(line.bounceSubType, "General");
      assert.deepEqual(line.statuses, ["5.1.1"]);
      assert.equal(line.diagnostic, "smtp; 550 5.1.1 user unknown");
      assert.equal(line.configurationSet, "ConfigSet");
      assert.equal(line.eventTimestamp, "2017-08-05T00:41:02.669Z", "when the bounce happened");
      assert.equal(line.sentAt, "2017-08-05T00:40:02.012Z", "when SES accepted the mail");
      assert.deepEqual(line.recipients, [{ domain: "example.com", id: pseudonym("recipient@example.com") }]);
      assert.ok(!r.raw.includes("recipient@example.com"), "no recipient address in the logs");
    });

    it("logs a complaint with its feedback type", async () => {
      const r = await run({ Records: [snsRecord(sample("event-complaint.json"))] });
      assert.deepEqual(r.result.byType, { Complaint: 1 });
      const [line] = logs(r);
      assert.equal(line.level, "WARN");
      assert.equal(line.complaintFeedbackType, "abuse");
      assert.equal(line.eventTimestamp, "2017-08-05T00:41:02.669Z");
      assert.deepEqual(line.recipients, [{ domain: "example.com", id: pseudonym("recipient@example.com") }]);
      assert.ok(!r.raw.includes("recipient@example.com"));
    });

    it("logs a delivery as information with its processing time", async () => {
      const r = await run({ Records: [snsRecord(sample("event-delivery.json"))] });
      assert.deepEqual(r.result.byType, { Delivery: 1 });
      const [line] = logs(r);
      assert.equal(line.level, "INFO");
      assert.equal(line.processingTimeMillis, 11893);
      assert.equal(line.diagnostic, "250 2.6.0 Message received");
      assert.equal(line.sentAt, "2016-10-19T23:20:52.240Z");
      assert.equal(line.eventTimestamp, "2016-10-19T23:21:04.133Z");
    });

    it("logs a reject with its reason and a delivery delay with its type and status", async () => {
      const r = await run({ Records: [snsRecord(sample("event-reject.json"), "a"), snsRecord(sample("event-delivery-delay.json"), "b")] });
      assert.deepEqual(r.result, { processed: 2, malformed: 0, byType: { Reject: 1, DeliveryDelay: 1 } });
      const [reject, delay] = logs(r);
      assert.equal(reject.rejectReason, "Bad content");
      assert.equal(reject.level, "WARN");
      assert.equal(delay.delayType, "TransientCommunicationFailure");
      assert.deepEqual(delay.statuses, ["4.4.1"]);
      assert.equal(delay.diagnostic, "smtp; 421 4.4.1 Unable to connect to remote host");
      assert.equal(delay.eventTimestamp, "2020-06-16T00:25:40.095Z");
    });

    it("also reads identity feedback notifications (notificationType) and removes addresses from diagnostics", async () => {
      const r = await run({
        Records: [snsRecord(sample("notification-bounce-with-dsn.json"), "1"), snsRecord(sample("notification-complaint-with-feedback.json"), "2"), snsRecord(sample("notification-delivery.json"), "3")],
      });
      assert.deepEqual(r.result, { processed: 3, malformed: 0, byType: { Bounce: 1, Complaint: 1, Delivery: 1 } });
      const [bounce] = logs(r);
      assert.equal(bounce.diagnostic, "smtp; 550 5.1.1 <<address>>... User");
      for (const address of ["jane@example.com", "mary@example.com", "richard@example.com"]) assert.ok(!r.raw.includes(address), `${address} is not logged`);
    });

    it("reads the mail-type and booking-id tags that sendBookingConfirmation sets", async () => {
      const record = JSON.parse(sample("event-bounce.json"));
      record.mail.tags["mail-type"] = ["booking-confirmation"];
      record.mail.tags["booking-id"] = ["bk_2026-0001"];
      record.mail.tags["ses:configuration-set"] = ["mpto-transactional"];
      const [line] = logs(await run({ Records: [snsRecord(JSON.stringify(record))] }));
      assert.equal(line.mailType, "booking-confirmation");
      assert.equal(line.bookingId, "bk_2026-0001");
      assert.equal(line.configurationSet, "mpto-transactional");
    });

    it("emits embedded-metric-format counts per event type", async () => {
      const r = await run({ Records: [snsRecord(sample("event-bounce.json")), snsRecord(sample("event-bounce.json")), snsRecord(sample("event-delivery.json"))] });
      const docs = metrics(r);
      assert.equal(docs.length, 2);
      for (const doc of docs) {
        assert.equal(doc._aws.Timestamp, NOW);
        assert.deepEqual(doc._aws.CloudWatchMetrics, [{ Namespace: "MPTO/Mail", Dimensions: [["EventType"]], Metrics: [{ Name: "SesEvents", Unit: "Count" }] }]);
      }
      assert.deepEqual(
        docs.map((d) => [d.EventType, d.SesEvents]),
        [
          ["Bounce", 2],
          ["Delivery", 1],
        ],
      );
    });
  });

  describe("recipient pseudonyms (keyed) and address scrubbing", () => {
    const bounceFor = (...addresses: string[]) => {
      const record = JSON.parse(sample("event-bounce.json"));
      record.bounce.bouncedRecipients = addresses.map((emailAddress) => ({ emailAddress, status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" }));
      return JSON.stringify(record);
    };

    it("gives one pseudonym per address whatever its case or display name, keyed so an address list cannot reverse it", async () => {
      const r = await run({ Records: [snsRecord(bounceFor("Ann.Smith@Example.COM", "ann.smith@example.com", "Ann Smith <ANN.SMITH@example.com>"))] });
      const [line] = logs(r);
      const expected = { domain: "example.com", id: pseudonym("ann.smith@example.com") };
      assert.deepEqual(line.recipients, [expected, expected, expected]);
      assert.notEqual(line.recipients[0].id, createHmac("sha256", Buffer.alloc(0)).update("ann.smith@example.com").digest("hex").slice(0, 16));
      const other = randomBytes(32);
      assert.notEqual(redactRecipient("ann.smith@example.com", other).id, expected.id, "another key, another pseudonym");
      assert.ok(!/ann|smith/i.test(JSON.stringify(line.recipients)));
    });

    it("logs recipients by domain only, with one warning, when no valid key is configured", async () => {
      for (const key of [undefined, pseudonymKeyFrom(undefined), pseudonymKeyFrom(""), pseudonymKeyFrom(randomBytes(31).toString("base64")), pseudonymKeyFrom("not base64!")]) {
        const r = await run({ Records: [snsRecord(bounceFor("Ann@Example.com"))] }, { pseudonymKey: key });
        const [warning, line] = logs(r);
        assert.equal(warning.msg, "ses-pseudonym-key-missing");
        assert.equal(warning.level, "WARN");
        assert.deepEqual(line.recipients, [{ domain: "example.com" }]);
      }
      assert.deepEqual(pseudonymKeyFrom(KEY.toString("base64")), KEY);
      assert.deepEqual(pseudonymKeyFrom(KEY.toString("base64url")), KEY);
      assert.equal(logs(await run({ Records: [] }))[0]?.msg, undefined, "with a key, an empty batch writes nothing");
    });

    it("normalises addresses to the address itself", () => {
      assert.equal(normaliseAddress("  Ann Smith <Ann@X.COM> "), "ann@x.com");
      assert.equal(normaliseAddress("<ann@x.com>"), "ann@x.com");
      assert.equal(normaliseAddress("ANN@x.com"), "ann@x.com");
      assert.deepEqual(redactRecipient("no-at-sign"), { domain: "unknown" });
      assert.deepEqual(redactRecipient("Ann <ann@Mail.X.com>"), { domain: "mail.x.com" });
    });

    it("scrubs plain, bracketed, quoted, percent-encoded and entity-encoded addresses", () => {
      const cases: [string, string][] = [
        ["550 5.1.1 jane@example.com unknown", "550 5.1.1 <address> unknown"],
        ["550 <jane@example.com>... User", "550 <<address>>... User"],
        ['550 "jane doe"@example.com unknown', "550 <address> unknown"],
        ['550 "jane.doe" @example.com', "550 <address>"],
        ["550 mailto:jane%40example.com", "550 mailto:<address>"],
        ["550 jane%2540example.com and JANE%40EXAMPLE.COM", "550 <address> and <address>"],
        ["550 jane&#64;example.com jane&#x40;example.com jane&commat;example.com", "550 <address> <address> <address>"],
        ["550 [jane@example.com]", "550 [<address>]"],
        ["no address\there", "no address here"],
      ];
      for (const [input, output] of cases) assert.equal(scrubText(input), output, input);
      assert.equal(scrubText(""), undefined);
      assert.equal(scrubText(42), undefined);
      assert.equal(scrubText("abcdef", 3), "abc");
    });

    it("bounds the work on huge diagnostics: only the head is scrubbed, an address straddling the cut never survives", () => {
      const huge = "x".repeat(80_000) + " jane@example.com";
      assert.equal(scrubText(huge), "x".repeat(200));
      const straddling = "y".repeat(195) + " jane.doe.longname@example.com " + "z".repeat(80_000);
      const out = scrubText(straddling)!;
      assert.equal(out.length, 200);
      assert.ok(!out.includes("jane"), "the address cut at 200 characters was scrubbed before the cut");
      assert.equal(out, "y".repeat(195) + " <add");
      const manyAts = "a@".repeat(40_000);
      assert.equal(scrubText(manyAts), "<address>");
    });

    it("scrubs the diagnostic of a parsed bounce the same way", () => {
      const record = JSON.parse(bounceFor("ann@example.com"));
      record.bounce.bouncedRecipients[0].diagnosticCode = 'smtp; 550 "ann smith"@example.com ann%40example.com';
      assert.equal(parseSesNotification(JSON.stringify(record), KEY).diagnostic, "smtp; 550 <address> <address>");
    });
  });

  describe("parsing details (what mutation testing found untested)", () => {
    const bounce = () => JSON.parse(sample("event-bounce.json"));
    const reason = (message: unknown) => {
      try {
        parseSesNotification(message, KEY);
      } catch (e) {
        assert.ok(e instanceof MalformedNotificationError);
        assert.equal(e.name, "MalformedNotificationError");
        assert.equal(e.code, "MALFORMED_SES_NOTIFICATION");
        assert.equal(e.message, `Malformed SES notification: ${e.reason}`);
        return e.reason;
      }
      return "parsed";
    };

    it("names each malformation with its fixed reason", () => {
      assert.equal(reason(""), "the SNS message is empty or not a string");
      assert.equal(reason("x".repeat(262_144)), "the SNS message is not JSON", "exactly 256 KiB is allowed");
      assert.equal(reason("x".repeat(262_145)), "the SNS message is larger than SNS allows (256 KiB)");
      assert.equal(reason("[1]"), "the SNS message is not a JSON object");
      assert.equal(reason(JSON.stringify({ ...bounce(), mail: [] })), "no mail object");
      assert.equal(reason(JSON.stringify({ ...bounce(), mail: { messageId: "" } })), "mail.messageId is missing");
      const noType = bounce();
      delete noType.bounce.bounceType;
      assert.equal(reason(JSON.stringify(noType)), "a Bounce without bounceType");
      const notList = bounce();
      notList.bounce.bouncedRecipients = "x@example.com";
      assert.equal(reason(JSON.stringify(notList)), "emailAddress is not a list");
      const delivery = JSON.parse(sample("event-delivery.json"));
      delivery.delivery.recipients = "x@example.com";
      assert.equal(reason(JSON.stringify(delivery)), "recipients is not a list");
      for (const bad of ["no-at-sign", 42]) {
        const b = bounce();
        b.bounce.bouncedRecipients = [{ emailAddress: bad }];
        assert.equal(reason(JSON.stringify(b)), "a recipient has no email address");
      }
    });

    it("caps long fields, skips missing statuses and ignores tags that are not lists", () => {
      const b = bounce();
      b.mail.messageId = "m".repeat(300);
      b.mail.tags = { "mail-type": "booking-confirmation", "booking-id": ["bk-1", "bk-2"] };
      b.bounce.bouncedRecipients = [{ emailAddress: "a@example.com", status: "5.1.1" }, { emailAddress: "b@example.com" }];
      const summary = parseSesNotification(JSON.stringify(b), KEY);
      assert.equal(summary.messageId.length, 256);
      assert.equal(summary.mailType, undefined);
      assert.equal(summary.bookingId, "bk-1");
      assert.deepEqual(summary.statuses, ["5.1.1"]);
      const delay = JSON.parse(sample("event-delivery-delay.json"));
      delay.deliveryDelay.delayedRecipients.push({ emailAddress: "c@example.com" });
      assert.deepEqual(parseSesNotification(JSON.stringify(delay), KEY).statuses, ["4.4.1"]);
      const arrayTags = bounce();
      arrayTags.mail.tags = [["mail-type", "x"]];
      assert.equal(parseSesNotification(JSON.stringify(arrayTags), KEY).mailType, undefined);
    });

    it("normalises edge forms of addresses and scrubs percent-encoded quoted local parts", () => {
      assert.equal(normaliseAddress("< Ann@X.com >"), "ann@x.com");
      assert.equal(normaliseAddress("<ann@x.com> (work)"), "<ann@x.com> (work)");
      assert.deepEqual(redactRecipient("@x.com"), { domain: "x.com" });
      assert.equal(scrubText('550 "jane doe"%2540example.com'), "550 <address>");
      assert.equal(scrubText("a\u0007b"), "a b");
    });

    it("names the missing event object of every event type, and refuses null where an object belongs", () => {
      const without = (file: string, key: string) => {
        const record = JSON.parse(sample(file));
        delete record[key];
        return JSON.stringify(record);
      };
      assert.equal(reason(without("event-bounce.json", "bounce")), "a Bounce without a bounce object");
      assert.equal(reason(without("event-complaint.json", "complaint")), "a Complaint without a complaint object");
      assert.equal(reason(without("event-delivery.json", "delivery")), "a Delivery without a delivery object");
      assert.equal(reason(without("event-reject.json", "reject")), "a Reject without a reject object");
      assert.equal(reason(without("event-delivery-delay.json", "deliveryDelay")), "a DeliveryDelay without a deliveryDelay object");
      // null is typeof "object": each must still be a typed malformation, never a TypeError.
      assert.equal(reason("null"), "the SNS message is not a JSON object");
      assert.equal(reason(JSON.stringify({ ...bounce(), mail: null })), "no mail object");
      assert.equal(reason(JSON.stringify({ ...bounce(), bounce: null })), "a Bounce without a bounce object");
      const nullRecipient = bounce();
      nullRecipient.bounce.bouncedRecipients = [null];
      assert.equal(reason(JSON.stringify(nullRecipient)), "a recipient has no email address");
    });

    it("takes the first diagnostic that is text, from whichever recipient carries it", () => {
      for (const [file, key, list] of [
        ["event-bounce.json", "bounce", "bouncedRecipients"],
        ["event-delivery-delay.json", "deliveryDelay", "delayedRecipients"],
      ] as const) {
        const record = JSON.parse(sample(file));
        record[key][list] = [
          { emailAddress: "a@example.com" },
          { emailAddress: "b@example.com", diagnosticCode: 42 },
          { emailAddress: "c@example.com", diagnosticCode: "smtp; 550 5.1.1 user unknown" },
          { emailAddress: "d@example.com", diagnosticCode: "smtp; 452 mailbox full" },
        ];
        assert.equal(parseSesNotification(JSON.stringify(record), KEY).diagnostic, "smtp; 550 5.1.1 user unknown", file);
      }
    });

    it("treats empty strings as absent fields", () => {
      const b = bounce();
      b.mail.timestamp = "";
      b.mail.tags = { "booking-id": [""], "mail-type": ["booking-confirmation"] };
      b.bounce.bounceSubType = "";
      const summary = parseSesNotification(JSON.stringify(b), KEY);
      assert.equal(summary.sentAt, undefined);
      assert.equal(summary.bookingId, undefined);
      assert.equal(summary.bounceSubType, undefined);
      assert.equal(summary.mailType, "booking-confirmation");
    });

    it("reads the other event types (Send, Open, Click...) with the recipients of mail.destination, or none", () => {
      const send = JSON.parse(sample("event-delivery.json"));
      send.eventType = "Send";
      delete send.delivery;
      send.mail.destination = ["Ann <Ann@Example.com>", "bob@example.org"];
      const summary = parseSesNotification(JSON.stringify(send), KEY);
      assert.equal(summary.eventType, "Send");
      assert.deepEqual(summary.recipients, [
        { domain: "example.com", id: pseudonym("ann@example.com") },
        { domain: "example.org", id: pseudonym("bob@example.org") },
      ]);
      delete send.mail.destination;
      send.eventType = "Open";
      assert.deepEqual(parseSesNotification(JSON.stringify(send), KEY).recipients, []);
    });

    it("reads a reject's recipients from mail.destination (none when absent), a complaint's sub-type, and a processing time only when it is a number", () => {
      const reject = JSON.parse(sample("event-reject.json"));
      assert.deepEqual(parseSesNotification(JSON.stringify(reject), KEY).recipients, [{ domain: "example.com", id: pseudonym("sender@example.com") }]);
      delete reject.mail.destination;
      assert.deepEqual(parseSesNotification(JSON.stringify(reject), KEY).recipients, []);
      const complaint = JSON.parse(sample("event-complaint.json"));
      complaint.complaint.complaintSubType = "OnAccountSuppressionList";
      assert.equal(parseSesNotification(JSON.stringify(complaint), KEY).complaintSubType, "OnAccountSuppressionList");
      const delivery = JSON.parse(sample("event-delivery.json"));
      delivery.delivery.processingTimeMillis = "11893";
      assert.equal(parseSesNotification(JSON.stringify(delivery), KEY).processingTimeMillis, undefined);
    });

    it("scrubs a quoted local part however it is followed: a space, %40 or %2540", () => {
      assert.equal(scrubText('550 "ann smith" @example.com'), "550 <address>");
      assert.equal(scrubText('550 "ann smith"%40example.com'), "550 <address>");
      assert.equal(scrubText('550 "ann smith"%252540example.com'), "550 <address>");
      // Quotes that are not a local part stay as they were.
      assert.equal(scrubText('550 "mailbox full" try later'), '550 "mailbox full" try later');
    });

    it("scrubs only the head it keeps plus 1024 characters: a token whose @ lies further on is cut before it is judged", () => {
      // The cut is what keeps the scrubbing linear; what lies past it never reaches the output.
      const token = "t".repeat(1300) + "@example.com";
      assert.equal(scrubText(token), "t".repeat(200));
      const near = "t".repeat(1000) + "@example.com";
      assert.equal(scrubText(near), "<address>");
    });
  });

  describe("handler details (what mutation testing found untested)", () => {
    it("accepts only whole base64 or base64url text of at least 32 bytes as the pseudonym key", () => {
      const key = randomBytes(32);
      assert.deepEqual(pseudonymKeyFrom(key.toString("base64")), key);
      assert.deepEqual(pseudonymKeyFrom(key.toString("base64url")), key);
      assert.equal(pseudonymKeyFrom(randomBytes(31).toString("base64")), undefined);
      for (const text of [undefined, "", ` ${key.toString("base64")}`, `${key.toString("base64")} `, `!${key.toString("base64")}`, `${key.toString("base64")}!`, `${key.toString("base64")}===`]) {
        assert.equal(pseudonymKeyFrom(text), undefined, JSON.stringify(text));
      }
    });

    it("says why recipients are logged by domain only, and why a batch is malformed", async () => {
      const r = await run({ Records: "nope" }, { pseudonymKey: undefined });
      assert.deepEqual(
        logs(r).map(({ level, msg, reason }) => ({ level, msg, reason })),
        [
          { level: "WARN", msg: "ses-pseudonym-key-missing", reason: "MPTO_PSEUDONYM_KEY is unset or shorter than 32 bytes: recipients are logged by domain only" },
          { level: "ERROR", msg: "ses-event-batch-malformed", reason: "the event has no Records list" },
        ],
      );
      assert.deepEqual(r.result, { processed: 0, malformed: 1, byType: {} });
    });

    it("names a record that is not from SNS, or null, and an unexpected failure, with the SNS message id cut to 128 characters", async () => {
      const notSns = { ...snsRecord(sample("event-bounce.json"), "i".repeat(200)), EventSource: "aws:sqs" };
      const throwing = snsRecord("x");
      Object.defineProperty(throwing.Sns, "Message", {
        get() {
          throw new Error("boom");
        },
      });
      // From SNS but without its Sns object: nothing to parse, which is a malformation like an empty message.
      const noSns = { EventSource: "aws:sns" };
      const r = await run({ Records: [notSns, null, throwing, noSns] });
      assert.deepEqual(
        logs(r).map(({ msg, reason, snsMessageId }) => ({ msg, reason, snsMessageId })),
        [
          { msg: "ses-event-malformed", reason: "the record is not from SNS", snsMessageId: "i".repeat(128) },
          { msg: "ses-event-malformed", reason: "the record is not from SNS", snsMessageId: undefined },
          { msg: "ses-event-malformed", reason: "unexpected error while parsing", snsMessageId: "95df01b4-ee98-5cb9-9903-4c221d41eb5e" },
          { msg: "ses-event-malformed", reason: "the SNS message is empty or not a string", snsMessageId: undefined },
        ],
      );
      assert.deepEqual(r.result, { processed: 0, malformed: 4, byType: {} });
    });

    it("counts every event type SES publishes, as a warning for the ones that hurt sender reputation", async () => {
      // The event types of configuration-set event publishing (SES developer guide, "eventType").
      const types = ["Bounce", "Complaint", "Delivery", "Send", "Reject", "Open", "Click", "Rendering Failure", "DeliveryDelay", "Subscription"];
      const objects: Record<string, [string, unknown]> = {
        Bounce: ["bounce", { bounceType: "Transient", bouncedRecipients: [{ emailAddress: "a@example.com" }] }],
        Complaint: ["complaint", { complainedRecipients: [{ emailAddress: "a@example.com" }] }],
        Delivery: ["delivery", { recipients: ["a@example.com"] }],
        Reject: ["reject", { reason: "Bad content" }],
        DeliveryDelay: ["deliveryDelay", { delayedRecipients: [{ emailAddress: "a@example.com" }] }],
      };
      const records = types.map((eventType) => {
        const [key, value] = objects[eventType] ?? ["other", {}];
        return snsRecord(JSON.stringify({ eventType, mail: { messageId: `m-${eventType}`, destination: ["a@example.com"] }, [key]: value }), eventType);
      });
      const r = await run({ Records: records });
      assert.deepEqual(r.result, { processed: types.length, malformed: 0, byType: Object.fromEntries(types.map((t) => [t, 1])) });
      const warned = ["Bounce", "Complaint", "Reject", "Rendering Failure"];
      assert.deepEqual(
        logs(r).map((l) => [l.eventType, l.level]),
        types.map((t) => [t, warned.includes(t) ? "WARN" : "INFO"]),
      );
      assert.deepEqual(
        metrics(r).map((d) => [d.EventType, d.SesEvents]),
        types.map((t) => [t, 1]),
      );
    });

    it("puts its metrics in METRICS_NAMESPACE, else MPTO/Mail", async () => {
      const namespaceOf = (written: string[]) => JSON.parse(written.find((l) => l.includes("_aws"))!)._aws.CloudWatchMetrics[0].Namespace;
      const saved = process.env.METRICS_NAMESPACE;
      try {
        for (const [env, expected] of [
          [undefined, "MPTO/Mail"],
          ["", "MPTO/Mail"],
          ["Other/Mail", "Other/Mail"],
        ] as const) {
          if (env === undefined) delete process.env.METRICS_NAMESPACE;
          else process.env.METRICS_NAMESPACE = env;
          const written: string[] = [];
          await createHandler({ write: (l) => written.push(l), now: () => NOW, pseudonymKey: KEY })({ Records: [snsRecord(sample("event-bounce.json"))] });
          assert.equal(namespaceOf(written), expected, String(env));
        }
      } finally {
        if (saved === undefined) delete process.env.METRICS_NAMESPACE;
        else process.env.METRICS_NAMESPACE = saved;
      }
    });
  });

  describe("with malformed input", () => {
    it("logs and counts each malformed record, processes the good ones and never throws", async () => {
      const leaky = JSON.stringify({ eventType: "Bounce", mail: { messageId: "m1" }, bounce: { bounceType: "Permanent", bouncedRecipients: "secret@example.com" } });
      const records = [
        snsRecord(sample("event-bounce.json"), "good"),
        snsRecord("not json {secret@example.com", "not-json"),
        snsRecord(JSON.stringify({ hello: "world" }), "no-type"),
        snsRecord(JSON.stringify({ eventType: "Exploded", mail: { messageId: "m" } }), "unknown-type"),
        snsRecord(JSON.stringify({ eventType: "Bounce", mail: { messageId: "m" } }), "no-bounce"),
        snsRecord(leaky, "recipients-not-a-list"),
        snsRecord(JSON.stringify({ eventType: "Delivery", delivery: { recipients: [] } }), "no-mail"),
        snsRecord(JSON.stringify([1, 2, 3]), "array"),
        snsRecord(undefined, "no-message"),
        snsRecord(42, "number"),
        snsRecord("x".repeat(300_000), "too-big"),
        { ...snsRecord(sample("event-delivery.json"), "sqs"), EventSource: "aws:sqs" },
        null,
        "a string record",
      ];
      const r = await run({ Records: records });
      assert.equal(r.result.processed, 1);
      assert.equal(r.result.malformed, records.length - 1);
      const bad = logs(r).filter((l) => l.msg === "ses-event-malformed");
      assert.equal(bad.length, records.length - 1);
      for (const line of bad) {
        assert.equal(line.level, "ERROR");
        assert.equal(typeof line.reason, "string");
      }
      assert.deepEqual(
        bad.slice(0, 4).map((l) => [l.snsMessageId, l.reason]),
        [
          ["not-json", "the SNS message is not JSON"],
          ["no-type", "no eventType or notificationType"],
          ["unknown-type", "unknown event type"],
          ["no-bounce", "a Bounce without a bounce object"],
        ],
      );
      assert.ok(!r.raw.includes("secret@example.com"), "malformed content is never logged");
      const malformedMetric = metrics(r).find((d) => "MalformedNotifications" in d)!;
      assert.equal(malformedMetric.MalformedNotifications, records.length - 1);
      // One metric without dimensions (one empty DimensionSet): what an alarm on MPTO/Mail MalformedNotifications reads.
      assert.deepEqual(malformedMetric._aws.CloudWatchMetrics, [{ Namespace: "MPTO/Mail", Dimensions: [[]], Metrics: [{ Name: "MalformedNotifications", Unit: "Count" }] }]);
      assert.equal(malformedMetric._aws.Timestamp, NOW);
    });

    it("survives events that are not SNS batches at all", async () => {
      for (const event of [null, undefined, {}, { Records: "x" }, "string", 7]) {
        const r = await run(event);
        assert.deepEqual(r.result, { processed: 0, malformed: 1, byType: {} });
        assert.equal(logs(r)[0].msg, "ses-event-batch-malformed");
      }
    });

    it("handles an empty batch without output", async () => {
      const r = await run({ Records: [] });
      assert.deepEqual(r.result, { processed: 0, malformed: 0, byType: {} });
      assert.equal(r.lines.length, 0);
    });
  });

  it("works as the bundled Lambda artifact, writing straight to stdout", async function () {
    this.timeout(20_000);
    const bundle = bundleHandler({ entry: join(__dirname, "..", "..", "..", "functions", "mail", "sesEventHandler.ts"), target: "node24" });
    assert.ok(bundle.bytes < 50_000, `bundle is ${bundle.bytes} bytes`);
    const dir = mkdtempSync(join(tmpdir(), "ses-handler-"));
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    try {
      writeFileSync(join(dir, "index.js"), bundle.code);
      process.env.MPTO_PSEUDONYM_KEY = KEY.toString("base64");
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(dir, "index.js")) as { handler: (e: unknown) => Promise<HandlerResult> };
      (process.stdout as unknown as { write: (chunk: string) => boolean }).write = (chunk: string) => {
        written.push(chunk);
        return true;
      };
      const result = await mod.handler({ Records: [snsRecord(sample("event-complaint.json"))] });
      process.stdout.write = original;
      assert.deepEqual(result, { processed: 1, malformed: 0, byType: { Complaint: 1 } });
      const lines = written.join("").trim().split("\n").map((l) => JSON.parse(l));
      assert.equal(lines[0].eventType, "Complaint");
      assert.equal(lines[0].recipients[0].id, pseudonym("recipient@example.com"), "the bundle keys pseudonyms with MPTO_PSEUDONYM_KEY");
      assert.equal(lines[1].SesEvents, 1);
    } finally {
      process.stdout.write = original;
      delete process.env.MPTO_PSEUDONYM_KEY;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
