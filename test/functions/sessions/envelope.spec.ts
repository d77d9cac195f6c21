import assert from "node:assert/strict";
import { createDecipheriv } from "node:crypto";
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { EnvelopeKmsError, itemAad, SessionCipher, type SessionEncryptionOptions } from "../../../functions/sessions/envelope";

/**
 * The envelope of session data (functions/sessions/envelope.ts) on its own: what it asks KMS, the
 * sealed format (checked by opening it here with node:crypto, not with the cipher), what it refuses
 * to open, and its data key and decrypted-key caches. KMS is a mock on one client instance that
 * hands out known data keys, so every seal can be checked byte for byte.
 */
describe("session data envelope: AES-256-GCM under KMS data keys (in-process KMS mock)", function () {
  const kms = new KMSClient({ region: "eu-west-2", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
  const mock = mockClient(kms);
  const KEY_ARN = "arn:aws:kms:eu-west-2:111122223333:key/11111111-2222-3333-4444-555555555555";
  const CONTEXT = { "mpto:purpose": "session-data", "mpto:table": "sessions" };
  const AAD = itemAad("sessions", "pk-1", "user-1");
  let nowMs: number;
  /** Data keys KMS issued, by their (fake) ciphertext: key N is 32 bytes of N, its blob "blob-N". */
  let issued: Map<string, Buffer>;
  const named = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });
  const blob = (n: number) => Buffer.from(`blob-${n}`);
  const b64 = (n: number) => blob(n).toString("base64");

  const cipher = (options: Partial<SessionEncryptionOptions> = {}, table = "sessions") => new SessionCipher({ kms, keyId: KEY_ARN, ...options }, table, () => nowMs);
  const generated = () => mock.commandCalls(GenerateDataKeyCommand).length;
  const decrypted = () => mock.commandCalls(DecryptCommand).length;
  /** Opens a sealed value with node:crypto: the format is iv(12) | ciphertext | tag(16), base64url after "v1.". */
  const openHere = (data: string, key: Buffer, aad: string) => {
    assert.ok(data.startsWith("v1."));
    const raw = Buffer.from(data.slice(3), "base64url");
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString();
  };

  beforeEach(() => {
    mock.reset();
    nowMs = Date.UTC(2030, 0, 1);
    issued = new Map();
    mock.on(GenerateDataKeyCommand).callsFake(() => {
      const n = issued.size + 1;
      const plaintext = Buffer.alloc(32, n);
      issued.set(b64(n), plaintext);
      return { KeyId: KEY_ARN, Plaintext: new Uint8Array(plaintext), CiphertextBlob: new Uint8Array(blob(n)) };
    });
    mock.on(DecryptCommand).callsFake((input: DecryptCommand["input"]) => {
      const key = issued.get(Buffer.from(input.CiphertextBlob ?? new Uint8Array()).toString("base64"));
      if (!key) throw named("InvalidCiphertextException");
      return { KeyId: KEY_ARN, Plaintext: new Uint8Array(key) };
    });
  });
  after(() => mock.restore());

  describe("sealing", function () {
    it("asks KMS for an AES-256 data key under the session key, with the purpose and the table as encryption context", async function () {
      await cipher().seal("{}", AAD);
      assert.deepEqual(
        mock.commandCalls(GenerateDataKeyCommand).map((c) => c.args[0].input),
        [{ KeyId: KEY_ARN, KeySpec: "AES_256", EncryptionContext: CONTEXT }],
      );
      await cipher({}, "other-table").seal("{}", AAD);
      assert.deepEqual(mock.commandCalls(GenerateDataKeyCommand)[1].args[0].input.EncryptionContext, { "mpto:purpose": "session-data", "mpto:table": "other-table" });
    });

    it("seals as v1.<base64url iv | ciphertext | tag> with AES-256-GCM under the data key, the item's AAD authenticated; the data key travels as KMS's blob in base64", async function () {
      const plaintext = '{"refreshToken":"caf\u00e9-token"}';
      const sealed = await cipher().seal(plaintext, AAD);
      assert.equal(sealed.dataKey, b64(1));
      assert.match(sealed.data, /^v1\.[A-Za-z0-9_-]+$/);
      assert.equal(Buffer.from(sealed.data.slice(3), "base64url").length, 12 + Buffer.byteLength(plaintext) + 16);
      assert.equal(openHere(sealed.data, issued.get(b64(1))!, AAD), plaintext);
      assert.throws(() => openHere(sealed.data, issued.get(b64(1))!, itemAad("sessions", "pk-1", undefined)), "the AAD is authenticated");
    });

    it("uses a fresh random IV for every seal", async function () {
      const c = cipher();
      const ivs = new Set<string>();
      for (let i = 0; i < 20; i++)
        ivs.add(
          Buffer.from((await c.seal("same", AAD)).data.slice(3), "base64url")
            .subarray(0, 12)
            .toString("hex"),
        );
      assert.equal(ivs.size, 20);
    });

    it("reports a failed GenerateDataKey as EnvelopeKmsError with the KMS error as cause, and asks KMS again on the next seal", async function () {
      const refusal = named("DisabledException");
      mock.on(GenerateDataKeyCommand).rejectsOnce(refusal);
      const c = cipher();
      await assert.rejects(
        c.seal("{}", AAD),
        (e: unknown) => e instanceof EnvelopeKmsError && e.name === "EnvelopeKmsError" && e.message === "KMS GenerateDataKey failed" && e.cause === refusal,
      );
      mock.on(GenerateDataKeyCommand).resolves({ Plaintext: new Uint8Array(32), CiphertextBlob: new Uint8Array(blob(9)) });
      assert.equal((await c.seal("{}", AAD)).dataKey, b64(9), "a failure is not remembered");
    });

    it("refuses a GenerateDataKey answer without a 256-bit key and its ciphertext", async function () {
      for (const answer of [
        { CiphertextBlob: new Uint8Array(blob(1)) },
        { Plaintext: new Uint8Array(31), CiphertextBlob: new Uint8Array(blob(1)) },
        { Plaintext: new Uint8Array(33), CiphertextBlob: new Uint8Array(blob(1)) },
        { Plaintext: "k".repeat(32), CiphertextBlob: new Uint8Array(blob(1)) },
        { Plaintext: new Uint8Array(32) },
        { Plaintext: new Uint8Array(32), CiphertextBlob: "blob-1" },
      ]) {
        mock.on(GenerateDataKeyCommand).resolves(answer as never);
        await assert.rejects(
          cipher().seal("{}", AAD),
          (e: unknown) => e instanceof EnvelopeKmsError && e.message === "KMS GenerateDataKey returned no 256-bit data key",
          JSON.stringify(Object.keys(answer)),
        );
      }
    });
  });

  describe("the data key for new seals", function () {
    it("serves concurrent seals with one GenerateDataKey", async function () {
      const c = cipher();
      const sealed = await Promise.all(Array.from({ length: 5 }, () => c.seal("{}", AAD)));
      assert.equal(generated(), 1);
      assert.deepEqual(new Set(sealed.map((s) => s.dataKey)), new Set([b64(1)]));
    });

    it("is replaced once it is dataKeyMaxAgeSeconds old (default 300 s)", async function () {
      for (const [options, ageMs] of [
        [{ dataKeyMaxAgeSeconds: 60 }, 60_000],
        [{}, 300_000],
      ] as const) {
        mock.resetHistory();
        issued.clear();
        const c = cipher(options);
        const start = nowMs;
        assert.equal((await c.seal("{}", AAD)).dataKey, b64(1));
        nowMs = start + ageMs - 1;
        assert.equal((await c.seal("{}", AAD)).dataKey, b64(1), "still young 1 ms before the limit");
        nowMs = start + ageMs;
        assert.equal((await c.seal("{}", AAD)).dataKey, b64(2), "replaced at the limit");
        assert.equal(generated(), 2);
      }
    });

    it("is replaced after dataKeyMaxUses seals, the fresh key's first seal counted", async function () {
      const c = cipher({ dataKeyMaxUses: 3 });
      const keys = [];
      for (let i = 0; i < 7; i++) keys.push((await c.seal("{}", AAD)).dataKey);
      assert.deepEqual(keys, [b64(1), b64(1), b64(1), b64(2), b64(2), b64(2), b64(3)]);
      const once = cipher({ dataKeyMaxUses: 1 });
      mock.resetHistory();
      await once.seal("{}", AAD);
      await once.seal("{}", AAD);
      assert.equal(generated(), 2, "a key good for one seal serves one");
    });

    it("serves 10000 seals by default", async function () {
      const c = cipher();
      for (let i = 0; i < 10_000; i++) await c.seal("", AAD);
      assert.equal(generated(), 1);
      await c.seal("", AAD);
      assert.equal(generated(), 2);
    });
  });

  describe("opening", function () {
    it("opens what it sealed, without asking KMS (it keeps the data keys it generated), the empty value included", async function () {
      const c = cipher();
      for (const plaintext of ['{"a":1}', "", "caf\u00e9"]) {
        const sealed = await c.seal(plaintext, AAD);
        assert.equal(await c.open(sealed, AAD), plaintext);
      }
      assert.equal(decrypted(), 0);
    });

    it("opens a value sealed by another process with one Decrypt under the key and context, then from its cache", async function () {
      const sealed = await cipher().seal('{"a":1}', AAD);
      const reader = cipher();
      assert.equal(await reader.open(sealed, AAD), '{"a":1}');
      assert.equal(await reader.open(sealed, AAD), '{"a":1}');
      const calls = mock.commandCalls(DecryptCommand).map((c) => c.args[0].input);
      assert.equal(calls.length, 1);
      assert.deepEqual({ ...calls[0], CiphertextBlob: Buffer.from(calls[0].CiphertextBlob!).toString() }, { CiphertextBlob: "blob-1", KeyId: KEY_ARN, EncryptionContext: CONTEXT });
    });

    it("opens a value sealed by an earlier release (the format and the AAD are stable: live sessions survive a deploy)", async function () {
      // Sealed once with data key 0x11…11, IV 000102…0b, for table "sessions", key "pk-1", owner "user-1".
      const vector = { data: "v1.AAECAwQFBgcICQoLaMHXMUGSSMCcaFz1XDPnDC02kH-vH2w", dataKey: Buffer.from("vector-key").toString("base64") };
      issued.set(vector.dataKey, Buffer.alloc(32, 0x11));
      assert.equal(itemAad("sessions", "pk-1", "user-1"), "cRIQk-W3nQqtnMvGnHu7mik9maPYcwvZYibqQEr89zM");
      assert.equal(itemAad("sessions", "pk-1", undefined), "4NX5BftDVNK2gWsOvFzF6qlX9hSmDZIy0RhPOQoEguI");
      assert.equal(await cipher().open(vector, AAD), '{"a":1}');
    });

    it("binds the AAD to table, item key and owner, unambiguously", function () {
      const aads = [
        itemAad("sessions", "pk-1", "user-1"),
        itemAad("sessions", "pk-1", undefined),
        itemAad("sessions", "pk-1", "null"),
        itemAad("sessions", "pk-2", "user-1"),
        itemAad("sessions-restored", "pk-1", "user-1"),
        itemAad("sessions", "pk-1user-1", ""),
        itemAad('sessions","pk-1', "user-1", undefined),
      ];
      assert.equal(new Set(aads).size, aads.length);
    });

    it("answers undefined (not a session) for a value sealed for another item or owner, or altered in any part", async function () {
      const c = cipher();
      const sealed = await c.seal('{"a":1}', AAD);
      const raw = Buffer.from(sealed.data.slice(3), "base64url");
      const altered = (index: number) => {
        const copy = Buffer.from(raw);
        copy[index] ^= 1;
        return { ...sealed, data: `v1.${copy.toString("base64url")}` };
      };
      assert.equal(await c.open(sealed, itemAad("sessions", "pk-2", "user-1")), undefined, "another item");
      assert.equal(await c.open(sealed, itemAad("sessions", "pk-1", undefined)), undefined, "no owner");
      for (const [label, index] of [
        ["iv", 0],
        ["iv end", 11],
        ["ciphertext", 12],
        ["tag", raw.length - 16],
        ["tag end", raw.length - 1],
      ] as const) {
        assert.equal(await c.open(altered(index), AAD), undefined, label);
      }
    });

    it("answers undefined, without asking KMS, for anything not in the v1 format or too short to hold an IV and a tag", async function () {
      const sealed = await cipher().seal("", AAD);
      const raw = Buffer.from(sealed.data.slice(3), "base64url");
      assert.equal(raw.length, 28, "an empty value is exactly IV and tag");
      const reader = cipher();
      for (const value of [
        { data: `v1.${raw.subarray(0, 27).toString("base64url")}`, dataKey: sealed.dataKey },
        { data: `v2.${raw.toString("base64url")}`, dataKey: sealed.dataKey },
        { data: raw.toString("base64url"), dataKey: sealed.dataKey },
        { data: 42, dataKey: sealed.dataKey },
        { data: sealed.data, dataKey: 42 },
        { data: sealed.data },
        {},
      ]) {
        assert.equal(await reader.open(value, AAD), undefined, JSON.stringify(value));
      }
      assert.equal(decrypted(), 0);
      assert.equal(await reader.open(sealed, AAD), "", "the 28-byte value itself opens");
    });

    it("answers undefined when KMS says the data key is not its ciphertext for this context, or returns no 256-bit key", async function () {
      const sealed = await cipher().seal("{}", AAD);
      assert.equal(await cipher().open({ ...sealed, dataKey: Buffer.from("forged").toString("base64") }, AAD), undefined);
      for (const answer of [{}, { Plaintext: new Uint8Array(16) }, { Plaintext: "k".repeat(32) }]) {
        mock.on(DecryptCommand).resolves(answer as never);
        assert.equal(await cipher().open(sealed, AAD), undefined, JSON.stringify(answer));
      }
    });

    it("reports any other Decrypt failure (no permission, disabled key, throttling, no answer) as EnvelopeKmsError: nothing can be said of the value", async function () {
      const sealed = await cipher().seal("{}", AAD);
      for (const failure of [named("AccessDeniedException"), named("ThrottlingException"), null]) {
        mock.on(DecryptCommand).callsFake(() => Promise.reject(failure));
        await assert.rejects(
          cipher().open(sealed, AAD),
          (e: unknown) => e instanceof EnvelopeKmsError && e.message === "KMS Decrypt failed" && e.cause === failure,
          String(failure?.name),
        );
      }
    });
  });

  describe("the cache of decrypted data keys", function () {
    /** Seals with a cipher of its own, so the reader below must decrypt each data key. */
    const sealedWithKeys = async (n: number) => Promise.all(Array.from({ length: n }, () => cipher({ dataKeyMaxUses: 1 })).map((c) => c.seal("{}", AAD)));

    it("keeps a decrypted key for dataKeyMaxAgeSeconds, then asks KMS again", async function () {
      const [sealed] = await sealedWithKeys(1);
      const reader = cipher({ dataKeyMaxAgeSeconds: 60 });
      const start = nowMs;
      await reader.open(sealed, AAD);
      nowMs = start + 59_999;
      await reader.open(sealed, AAD);
      assert.equal(decrypted(), 1);
      nowMs = start + 60_000;
      assert.equal(await reader.open(sealed, AAD), "{}");
      assert.equal(decrypted(), 2);
    });

    it("holds cacheSize keys, forgetting the one remembered longest ago first", async function () {
      const [a, b, c] = await sealedWithKeys(3);
      const reader = cipher({ cacheSize: 2 });
      for (const sealed of [a, b, a, c]) await reader.open(sealed, AAD);
      assert.equal(decrypted(), 3, "a was still cached when read the second time");
      await reader.open(b, AAD);
      await reader.open(c, AAD);
      assert.equal(decrypted(), 3, "b and c are cached");
      await reader.open(a, AAD);
      assert.equal(decrypted(), 4, "a, the oldest, made room for c");
    });

    it("counts a key decrypted again (after its age) as remembered now, not when first decrypted", async function () {
      const [a, b, c] = await sealedWithKeys(3);
      const reader = cipher({ cacheSize: 2, dataKeyMaxAgeSeconds: 60 });
      const start = nowMs;
      await reader.open(a, AAD);
      nowMs = start + 10_000;
      await reader.open(b, AAD);
      nowMs = start + 60_000;
      await reader.open(a, AAD);
      await reader.open(c, AAD);
      assert.equal(decrypted(), 4);
      await reader.open(a, AAD);
      assert.equal(decrypted(), 4, "a, decrypted again at 60 s, is newer than b");
      await reader.open(b, AAD);
      assert.equal(decrypted(), 5, "b was the oldest and made room for c");
    });

    it("does not keep a malformed Decrypt answer: the next read asks KMS again", async function () {
      const [sealed] = await sealedWithKeys(1);
      const reader = cipher();
      mock
        .on(DecryptCommand)
        .resolvesOnce({ Plaintext: new Uint8Array(16) })
        .resolves({ Plaintext: new Uint8Array(issued.get(sealed.dataKey)!) });
      assert.equal(await reader.open(sealed, AAD), undefined);
      assert.equal(await reader.open(sealed, AAD), "{}");
      assert.equal(decrypted(), 2);
    });

    it("holds 100 keys by default", async function () {
      const sealed = await sealedWithKeys(101);
      const reader = cipher();
      for (const s of sealed) await reader.open(s, AAD);
      for (const s of sealed.slice(1)) await reader.open(s, AAD);
      assert.equal(decrypted(), 101, "the last 100 are cached");
      await reader.open(sealed[0], AAD);
      assert.equal(decrypted(), 102);
    });

    it("counts the keys it generated itself against the same bound", async function () {
      const [foreign] = await sealedWithKeys(1);
      const c = cipher({ cacheSize: 1, dataKeyMaxUses: 1 });
      const own = await c.seal("{}", AAD);
      await c.open(foreign, AAD);
      assert.equal(decrypted(), 1);
      assert.equal(await c.open(own, AAD), "{}");
      assert.equal(decrypted(), 2, "its own key was evicted by the foreign one");
    });
  });

  describe("settings", function () {
    it("needs the key's id, and keeps it", function () {
      for (const keyId of ["", undefined, 42]) {
        assert.throws(
          () => cipher({ keyId: keyId as never }),
          (e: unknown) => e instanceof RangeError && e.message === "encryption.keyId must name the session KMS key",
        );
      }
      assert.equal(cipher().keyId, KEY_ARN);
    });

    it("takes whole numbers in range for the key age, the uses per key and the cache size, saying the range", function () {
      const cases = [
        ["dataKeyMaxAgeSeconds", 1, 86_400],
        ["dataKeyMaxUses", 1, 2 ** 32],
        ["cacheSize", 1, 10_000],
      ] as const;
      for (const [name, min, max] of cases) {
        for (const bad of [min - 1, max + 1, 1.5, Number.NaN]) {
          assert.throws(
            () => cipher({ [name]: bad }),
            (e: unknown) => e instanceof RangeError && e.message === `${name} must be a whole number from ${min} to ${max}`,
            `${name} ${bad}`,
          );
        }
        assert.ok(cipher({ [name]: min }) && cipher({ [name]: max }));
      }
    });
  });
});
