import assert from "node:assert/strict";
import { HOSTNAME } from "../../../functions/shared/hostname";

/** The one host-name rule (stack config and bundled runtime code): RFC 1035 labels, lower case, 253 characters at most. */
describe("HOSTNAME: a lower-case DNS host name", () => {
  const label = (n: number) => "a".repeat(n);

  it("accepts names of two or more labels, one-character labels and inner dashes included", () => {
    for (const name of ["example.com", "a.example.com", "www.myprivatetutoronline.com", "x-1.b2.co.uk", `${label(63)}.com`, "a.b.cd"]) assert.ok(HOSTNAME.test(name), name);
  });

  it("accepts 253 characters and refuses 254", () => {
    const longest = `${label(63)}.${label(63)}.${label(63)}.${label(57)}.com`;
    assert.equal(longest.length, 253);
    assert.ok(HOSTNAME.test(longest));
    const tooLong = `${label(63)}.${label(63)}.${label(63)}.${label(58)}.com`;
    assert.equal(tooLong.length, 254);
    assert.equal(HOSTNAME.test(tooLong), false, "every label fits, the whole name does not");
  });

  it("refuses a single label, upper case, labels over 63 characters or edged with a dash, numeric or one-letter top-level domains, and trailing text", () => {
    for (const name of [
      "localhost",
      "Example.com",
      `${label(64)}.com`,
      "-a.com",
      "a-.com",
      "a..com",
      ".a.com",
      "a.com.",
      "a.c",
      "a.123",
      "a.com/x",
      "a.com x",
      "a_b.com",
      "a.com\n",
    ]) {
      assert.equal(HOSTNAME.test(name), false, JSON.stringify(name));
    }
  });
});
