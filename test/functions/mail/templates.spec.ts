import assert from "node:assert/strict";
import { ConfirmationView, renderConfirmation } from "../../../functions/mail/templates";

/** The confirmation templates in process: escaping per part, the notes' line breaks, and strict rendering. */
const VIEW: ConfirmationView = {
  parentName: "Ann O'Neil & Co",
  studentName: "Sam",
  tutorName: "Jo",
  subject: "GCSE Maths",
  when: "Monday, 30 March 2026 at 16:00 BST",
  duration: "1 hour",
  bookingId: "bk_1",
  adminEmail: "admin@mpto.example",
};

describe("confirmation templates", () => {
  it("escapes values in HTML and leaves them as typed in plain text", () => {
    const { html, text } = renderConfirmation(VIEW);
    assert.ok(html.includes("<p>Dear Ann O&#x27;Neil &amp; Co,</p>"), html);
    assert.ok(text.includes("Dear Ann O'Neil & Co,\n"), text);
  });

  it("renders each line of the notes escaped, joined by <br> and a newline in HTML, as typed in text", () => {
    const { html, text } = renderConfirmation({ ...VIEW, notes: "one <b>\r\ntwo\rthree\nfour" });
    assert.ok(html.includes("<br>one &lt;b&gt;<br>\ntwo<br>\nthree<br>\nfour</p>"), html);
    assert.ok(text.includes("Your notes:\none <b>\r\ntwo\rthree\nfour\n"), text);
  });

  it("leaves the notes out of both parts when there are none, and gives no stray text for them", () => {
    for (const notes of [undefined, ""]) {
      const { html, text } = renderConfirmation({ ...VIEW, notes });
      assert.ok(!html.includes("Your notes") && !text.includes("Your notes"));
      assert.ok(!html.includes("undefined") && !text.includes("undefined"));
    }
  });

  it("refuses to render with a field missing (strict), in either part", () => {
    const { adminEmail: _dropped, ...partial } = VIEW;
    assert.throws(() => renderConfirmation(partial as ConfirmationView), /"adminEmail" not defined/);
    const { bookingId: _id, ...noId } = VIEW;
    assert.throws(() => renderConfirmation(noId as ConfirmationView), /"bookingId" not defined/);
  });
});
