import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createDynamoClient } from "../sessions/store";

/**
 * The video asset records: one item per video id in the pipeline's table, which the app reads to
 * learn whether a video is ready and what to play. Written only by the pipeline's functions.
 */

export type VideoStatus = "SUBMITTING" | "SUBMITTED" | "PROGRESSING" | "COMPLETE" | "ERROR";

export type VideoErrorCode = "TOO_LARGE" | "NOT_A_VIDEO" | "TOO_LONG" | "TRANSCODE_FAILED" | "CANCELED";

export interface Rendition {
  name: string;
  width: number;
  height: number;
  playlistKey: string;
}

export interface VideoAsset {
  videoId: string;
  status: VideoStatus;
  sourceKey: string;
  jobId?: string;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  progressPercent?: number;
  durationMs?: number;
  /** Master playlist, `videos/<id>/hls/index.m3u8`. */
  playlistKey?: string;
  posterKey?: string;
  renditions?: Rendition[];
  error?: { code: VideoErrorCode; message: string };
}

export function createDynamoDocumentClient(region: string, endpoint?: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoClient({ region, endpoint }), { marshallOptions: { removeUndefinedValues: true } });
}

/** A conditional write that did not hold (the SDK's typed error, or its name when another copy of the SDK threw it). */
function conditionFailed(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === "ConditionalCheckFailedException";
}

export class VideoAssets {
  constructor(
    private readonly db: Pick<DynamoDBDocumentClient, "send">,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(videoId: string): Promise<VideoAsset | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { videoId }, ConsistentRead: true }));
    return out.Item as VideoAsset | undefined;
  }

  /**
   * Claims a video for submission: true when this call created its record, false when a record already
   * exists (a re-delivered event), so a second job is never started for one upload.
   */
  async claim(videoId: string, sourceKey: string): Promise<boolean> {
    const at = this.now().toISOString();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { videoId, status: "SUBMITTING", sourceKey, createdAt: at, updatedAt: at } satisfies VideoAsset,
          ConditionExpression: "attribute_not_exists(videoId)",
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** Records a refusal before any job (too large, not a video): the record is created in ERROR. */
  async refuse(videoId: string, sourceKey: string, code: VideoErrorCode, message: string): Promise<void> {
    const at = this.now().toISOString();
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { videoId, status: "ERROR", sourceKey, createdAt: at, updatedAt: at, error: { code, message } } satisfies VideoAsset,
        ConditionExpression: "attribute_not_exists(videoId)",
      }),
    ).catch((error) => {
      if (!conditionFailed(error)) throw error;
    });
  }

  /**
   * Applies a state change unless the record is already terminal. Returns false when it was (or does
   * not exist): a late PROGRESSING after COMPLETE, a duplicate COMPLETE, or a job that is not ours.
   */
  async update(videoId: string, changes: Partial<Omit<VideoAsset, "videoId" | "createdAt" | "sourceKey">>): Promise<boolean> {
    const fields = { ...changes, updatedAt: this.now().toISOString() } as Record<string, unknown>;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":complete": "COMPLETE", ":error": "ERROR" };
    const sets = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v], i) => {
        names[`#f${i}`] = k;
        values[`:v${i}`] = v;
        return `#f${i} = :v${i}`;
      });
    names["#status"] = "status";
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { videoId },
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "attribute_exists(videoId) AND NOT (#status IN (:complete, :error))",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** Records not terminal whose last change is older than `olderThanMs`: jobs that may be stuck. */
  async unfinishedOlderThan(olderThanMs: number): Promise<VideoAsset[]> {
    const cutoff = new Date(this.now().getTime() - olderThanMs).toISOString();
    const found: VideoAsset[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: "NOT (#status IN (:complete, :error)) AND updatedAt < :cutoff",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":complete": "COMPLETE", ":error": "ERROR", ":cutoff": cutoff },
          ExclusiveStartKey: start,
        }),
      );
      found.push(...((page.Items ?? []) as VideoAsset[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }
}
