import { fields } from "../../components/shared/configField";

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Who owns the stack, what it may cost, and how carefully its data is kept. */
export const coreFields = {
  environment: fields.text({
    description: "Environment name; becomes the Environment tag and must equal the stack name.",
    expected: "the stack name (dev or prod)",
    pattern: /^[a-z][a-z0-9-]{1,15}$/,
  }),
  owner: fields.text({
    description: "Owner tag: the team or person answerable for these resources.",
    expected: "a team or person, 2-64 letters, digits, spaces, '.', '@', '-' or '_'",
    pattern: /^[A-Za-z0-9 .@_-]{2,64}$/,
  }),
  costCenter: fields.text({
    description: "CostCenter tag used for cost allocation.",
    expected: "an upper-case cost centre code such as MPTO-WEB (2-32 of A-Z, 0-9, '-')",
    pattern: /^[A-Z0-9-]{2,32}$/,
  }),
  alertEmail: fields.email({ description: "Address that receives alarms and budget alerts (confirm the SNS subscription once)." }),
  monthlyBudgetUsd: fields.integer({
    description: "Monthly AWS budget for this stack in USD; alerts at 80% actual and 100% forecast.",
    expected: "a whole number of US dollars from 1 to 100000",
    min: 1,
    max: 100_000,
  }),
  protectStatefulResources: fields.boolean({
    description: "Protect stateful resources (media bucket, session table, user pool, mail identity) from deletion. Default false.",
    default: false,
  }),
  logRetentionDays: fields.integerOneOf(LOG_RETENTION_DAYS, {
    description: "Retention of every CloudWatch log group the stack creates, in days. Default 30.",
    default: 30,
  }),
};

