import { createHash } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Booking } from "./booking";

/**
 * At-most-once sending of a booking's confirmation (docs/mail.md "Idempotent sending").
 *
 * SES's SendEmail has no idempotency token: a request that timed out after SES accepted it, sent
 * again, is a second mail. So before sending, the sender claims a booking-scoped key in a ledger
 * (a conditional write); after SES answers it records the MessageId. A retry of the same booking
 * then returns that MessageId without sending; a retry while the first attempt's outcome is
 * unknown gets `MailOutcomeUnknownError` until the claim's lease ends.
 */

export type ClaimResult = { state: "claimed" } | { state: "sent"; messageId: string } | { state: "pending" };

/** Where claims live. `DynamoSendLedger` is the implementation; tests may give their own. */
export interface SendLedger {
  /** Claims `key` for one send attempt, or reports the earlier attempt's outcome. */
  claim(key: string): Promise<ClaimResult>;
  /** Records that SES accepted the message sent under `key`. */
  complete(key: string, messageId: string): Promise<void>;
  /** Gives the claim up after SES certainly did not accept the message, so a retry may send. */
  release(key: string): Promise<void>;
}

/**
 * The booking-scoped key: the booking id plus a digest of everything the mail shows, so a retry of
 * the same booking is the same key and a changed booking (rescheduled, renamed) gets its own mail.
 */
export function confirmationKey(booking: Booking): string {
  const canonical = JSON.stringify([
    booking.bookingId,
    booking.parentName,
    booking.parentEmail,
    booking.studentName,
    booking.tutorName,
    booking.subject,
    booking.startsAt,
    booking.durationMinutes,
    booking.notes ?? null,
  ]);
  return `booking-confirmation:${booking.bookingId}:${createHash("sha256").update(canonical).digest("base64url").slice(0, 22)}`;
}

export interface DynamoSendLedgerOptions {
  /** A DynamoDB client with time limits (`createDynamoClient` from functions/sessions). */
  client: DynamoDBClient | DynamoDBDocumentClient;
  /** A table with a string partition key `pk` and TTL on `expiresAt`: the session table (stack output `sessionTableName`). */
  tableName: string;
  /** Seconds a claim whose outcome is unknown blocks re-sending. Default 3600, 60-604800. */
  leaseSeconds?: number;
  /** Days a completed send is remembered (then TTL deletes it). Default 30, 1-365. */
  retentionDays?: number;
  /** Clock in epoch ms. Default Date.now. */
  now?: () => number;
}

/** Ledger items share the session table: their keys start with this prefix, which a session key (43 base64url characters) never has. */
export const LEDGER_KEY_PREFIX = "mail-send#";

/**
 * The ledger on DynamoDB. Items: `pk` = `mail-send#<key>`, `state` pending|sent, `claimedAt`,
 * `messageId`, `expiresAt` (TTL). No `userId`, so they never appear in the sessions' user index.
 */
export class DynamoSendLedger implements SendLedger {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly leaseSeconds: number;
  private readonly retentionSeconds: number;
  private readonly clock: () => number;

  constructor(options: DynamoSendLedgerOptions) {
    this.doc = options.client instanceof DynamoDBDocumentClient ? options.client : DynamoDBDocumentClient.from(options.client);
    this.tableName = options.tableName;
    this.leaseSeconds = whole(options.leaseSeconds ?? 3600, 60, 604_800, "leaseSeconds");
    this.retentionSeconds = whole(options.retentionDays ?? 30, 1, 365, "retentionDays") * 86_400;
    this.clock = options.now ?? Date.now;
  }

  async claim(key: string): Promise<ClaimResult> {
    const now = Math.floor(this.clock() / 1000);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: LEDGER_KEY_PREFIX + key, state: "pending", claimedAt: now, expiresAt: now + this.retentionSeconds },
          // New, or a pending claim whose lease has ended (its outcome stayed unknown for the whole lease).
          ConditionExpression: "attribute_not_exists(pk) OR (#state = :pending AND claimedAt <= :stale)",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":pending": "pending", ":stale": now - this.leaseSeconds },
        }),
      );
      return { state: "claimed" };
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name !== "ConditionalCheckFailedException") throw error;
    }
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: LEDGER_KEY_PREFIX + key }, ConsistentRead: true }));
    if (Item?.state === "sent" && typeof Item.messageId === "string") return { state: "sent", messageId: Item.messageId };
    return { state: "pending" };
  }

  async complete(key: string, messageId: string): Promise<void> {
    const now = Math.floor(this.clock() / 1000);
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: LEDGER_KEY_PREFIX + key },
        UpdateExpression: "SET #state = :sent, messageId = :id, expiresAt = :exp",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":sent": "sent", ":id": messageId, ":exp": now + this.retentionSeconds },
      }),
    );
  }

  async release(key: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: LEDGER_KEY_PREFIX + key },
        // Never forget a completed send.
        ConditionExpression: "#state = :pending",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":pending": "pending" },
      }),
    ).catch((error: unknown) => {
      if ((error as { name?: unknown } | null)?.name !== "ConditionalCheckFailedException") throw error;
    });
  }
}

function whole(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}
