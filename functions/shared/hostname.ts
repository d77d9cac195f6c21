/**
 * A lower-case DNS host name (RFC 1035 labels, at least two, 253 characters at most). One
 * dependency-free definition for stack config validation and for runtime code that is bundled alone.
 */
export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
