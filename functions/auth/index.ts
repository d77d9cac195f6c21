// Sign-in against the Cognito user pool and verification of its tokens (docs/identity.md).
export { CognitoAuth, createCognitoClient, toAuthError } from "./cognitoAuth";
export type { AuthTokens, CognitoAuthOptions, PendingChallenge, SignInResult, TotpEnrolment } from "./cognitoAuth";
export * from "./errors";
export { TokenVerifier } from "./tokens";
export type { TokenVerifierOptions, VerifiedUser } from "./tokens";
