import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";

/**
 * An in-process stand-in for AWS KMS (no KMS emulator exists on npm: shared/reference/emulators.md),
 * installed with aws-sdk-client-mock on ONE client instance. It does real cryptography, so a test
 * sees what the real service would let through:
 *
 * - `GenerateDataKey` returns a fresh random 256-bit key and that key encrypted (AES-256-GCM) under
 *   a master key that never leaves this object, bound to the key id and the encryption context,
 *   as KMS binds a ciphertext to its key and context.
 * - `Decrypt` opens only its own ciphertexts with the same key id and context, else
 *   `InvalidCiphertextException` (KMS's answer); when `denyDecrypt` is set it answers
 *   `AccessDeniedException`, as KMS does for a principal the key policy does not name (a backup
 *   reader, an admin without the app role).
 *
 * What it cannot show: the key policy itself, KMS request quotas, latency, or CloudTrail entries.
 */
export class FakeKms {
  readonly client = new KMSClient({ region: "eu-west-2", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  readonly keyArn: string;
  generated = 0;
  decrypted = 0;
  /** Answer Decrypt with AccessDeniedException (a principal without kms:Decrypt). */
  denyDecrypt = false;
  /** Fail every call with this error name (KMS unavailable, throttled, disabled key). */
  failWith: string | undefined;
  private readonly master = randomBytes(32);
  private readonly mock = mockClient(this.client);

  constructor(keyArn = "arn:aws:kms:eu-west-2:111122223333:key/11111111-2222-3333-4444-555555555555") {
    this.keyArn = keyArn;
    this.mock.on(GenerateDataKeyCommand).callsFake((input: GenerateDataKeyCommand["input"]) => {
      this.fail();
      if (input.KeyId !== this.keyArn) throw named("NotFoundException", "key not found");
      if (input.KeySpec !== "AES_256") throw named("ValidationException", "KeySpec must be AES_256 here");
      this.generated++;
      const plaintext = randomBytes(32);
      return { KeyId: this.keyArn, Plaintext: new Uint8Array(plaintext), CiphertextBlob: new Uint8Array(this.wrap(plaintext, input.EncryptionContext)) };
    });
    this.mock.on(DecryptCommand).callsFake((input: DecryptCommand["input"]) => {
      this.fail();
      if (this.denyDecrypt) throw named("AccessDeniedException", "not authorized to perform kms:Decrypt");
      if (input.KeyId !== undefined && input.KeyId !== this.keyArn) throw named("IncorrectKeyException", "wrong key");
      const plaintext = this.unwrap(Buffer.from(input.CiphertextBlob ?? new Uint8Array()), input.EncryptionContext);
      this.decrypted++;
      return { KeyId: this.keyArn, Plaintext: new Uint8Array(plaintext) };
    });
  }

  restore(): void {
    this.mock.restore();
  }

  private fail(): void {
    if (this.failWith) throw named(this.failWith, "injected failure");
  }

  private aad(context: Record<string, string> | undefined): Buffer {
    const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    return Buffer.from(JSON.stringify([this.keyArn, entries]));
  }

  private wrap(plaintext: Buffer, context: Record<string, string> | undefined): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.master, iv);
    cipher.setAAD(this.aad(context));
    return Buffer.concat([Buffer.from("FAKEKMS1"), iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  }

  private unwrap(blob: Buffer, context: Record<string, string> | undefined): Buffer {
    try {
      if (blob.subarray(0, 8).toString() !== "FAKEKMS1") throw new Error("not ours");
      const decipher = createDecipheriv("aes-256-gcm", this.master, blob.subarray(8, 20));
      decipher.setAAD(this.aad(context));
      decipher.setAuthTag(blob.subarray(blob.length - 16));
      return Buffer.concat([decipher.update(blob.subarray(20, blob.length - 16)), decipher.final()]);
    } catch {
      throw named("InvalidCiphertextException", "the ciphertext is invalid for this key and context");
    }
  }
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}
