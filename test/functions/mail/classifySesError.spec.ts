import assert from "node:assert/strict";
import { classifySesError, definitelyNotSent, MailError, MailOutcomeUnknownError, MailRejectedError, MailSendError, MailThrottledError } from "../../../functions/mail/errors";

/**
 * classifySesError, the whole table: every SES error code the mail sender names, answered by SES
 * (an HTTP status: nothing was accepted), and the network errors that prove the request never left.
 * Written out here so that a code dropped from a list (a rejection retried for ever, a throttle
 * reported as final) fails.
 */
const answered = (name: string, status = 400) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe("classifySesError: every SES error code the sender names", () => {
  it("throttling codes are retryable MAIL_THROTTLED", () => {
    for (const name of ["Throttling", "ThrottlingException", "TooManyRequestsException", "MaxSendingRateExceeded", "LimitExceededException"]) {
      const e = classifySesError(answered(name));
      assert.ok(e instanceof MailThrottledError && e.awsCode === name && e.retryable, name);
    }
    assert.ok(classifySesError(answered("SomethingNew", 429)) instanceof MailThrottledError, "any 429");
  });

  it("rejection codes are final MAIL_REJECTED", () => {
    for (const name of [
      "MessageRejected",
      "MailFromDomainNotVerifiedException",
      "FromEmailAddressNotVerifiedException",
      "ConfigurationSetDoesNotExistException",
      "ConfigurationSetSendingPausedException",
      "AccountSendingPausedException",
      "ProductionAccessNotGrantedException",
      "InvalidParameterValue",
    ]) {
      const e = classifySesError(answered(name));
      assert.ok(e instanceof MailRejectedError && e.awsCode === name && !e.retryable, name);
    }
  });

  it("anything else SES answered is a retryable MAIL_SEND_FAILED, named by Code when the name says nothing", () => {
    assert.ok(classifySesError(answered("InternalFailure", 500)) instanceof MailSendError);
    const coded = Object.assign(new Error("x"), { Code: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
    assert.equal((classifySesError(coded) as MailSendError).awsCode, "ServiceUnavailable");
    assert.equal((classifySesError({ $metadata: { httpStatusCode: 500 } }) as MailSendError).awsCode, "Unknown");
  });

  it("a request that never left is not sent (retryable); one whose answer was lost is MAIL_OUTCOME_UNKNOWN", () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]) {
      const error = Object.assign(new Error(code), { code });
      assert.ok(definitelyNotSent(error), code);
      assert.ok(classifySesError(error) instanceof MailSendError, code);
    }
    assert.ok(definitelyNotSent(new Error("Socket timed out without establishing a connection within 2000 ms")));
    for (const error of [Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), Object.assign(new Error("x"), { name: "TimeoutError" }), undefined, null]) {
      assert.ok(!definitelyNotSent(error), String(error));
      assert.ok(classifySesError(error) instanceof MailOutcomeUnknownError, String(error));
    }
  });

  it("keeps the SDK's error as the cause of every classification, for the logs", () => {
    const errors = [
      answered("Throttling", 400),
      answered("MessageRejected", 400),
      answered("InternalFailure", 500),
      Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
    ];
    for (const error of errors) assert.equal(classifySesError(error).cause, error, error.name);
  });

  it("passes its own errors through", () => {
    const own = new MailRejectedError("MessageRejected");
    assert.equal(classifySesError(own), own);
    assert.equal((own as MailError).name, "MailRejectedError");
  });
});
