import { fields } from "./field";

/** The DynamoDB session table. */
export const sessionFields = {
  sessionTableRecoveryDays: fields.integer({
    description: "Point-in-time recovery window of the session table in days (PITR is always on; the price does not depend on the window). Default 35.",
    min: 1,
    max: 35,
    default: 35,
  }),
};
