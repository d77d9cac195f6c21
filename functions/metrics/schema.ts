/**
 * The business metric's identity, shared by the producer (`trackBookingMetric`) and the
 * `Monitoring` component's dashboard, so the graph always reads the metric that is written.
 * Plain constants: importing this file pulls in no SDK and no Pulumi code.
 */
export const BOOKING_METRIC = {
  namespace: "MPTO/Business",
  metricName: "BookingsCreated",
  /** Dimension names, in the order they are written. */
  environmentDimension: "Environment",
  serviceDimension: "Service",
  /** Service dimension value when the caller names none. */
  defaultService: "Tutoring",
  unit: "Count",
} as const;

/**
 * Allowed dimension values: short, printable, no user text (CloudWatch allows up to 1024
 * characters; we keep them readable on a dashboard and free of anything a visitor typed).
 */
export const DIMENSION_VALUE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
