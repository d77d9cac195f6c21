import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { CognitoAuth, type CognitoAuthOptions } from "../../functions/auth/cognitoAuth";

/** The user pool, app client and Cognito user name of the in-process auth specs. */
export const POOL_ID = "eu-west-2_Ab12Cd34E";
export const CLIENT_ID = "5m3examplec1ient1d00000000";
export const USER_ID = "a1b2c3d4-0000-4000-8000-000000000001";

export type CognitoMock = ReturnType<typeof mockClient>;

/** A Cognito client that only the mock answers (its credentials reach nothing). */
export const mockedCognitoClient = new CognitoIdentityProviderClient({ region: "eu-west-2", credentials: { accessKeyId: "test", secretAccessKey: "test" } });

/** CognitoAuth for the specs' pool and app client over the mocked client. */
export function mockedCognitoAuth(options: Pick<CognitoAuthOptions, "clientSecret" | "passwordFlow"> = {}): CognitoAuth {
  return new CognitoAuth({ client: mockedCognitoClient, userPoolId: POOL_ID, clientId: CLIENT_ID, ...options });
}

/**
 * Mocks the Cognito client class for the enclosing `describe` and hands the mock to `use`: installed
 * in before() and restored in after(), since mockClient patches the class prototype (made while mocha
 * loads files, it would also answer the emulator spec's clients), and reset before each test (before
 * the describe's own beforeEach hooks, which are registered after this call).
 */
export function useCognitoMock(use: (mock: CognitoMock) => void): void {
  let mock: CognitoMock;
  before(() => use((mock = mockClient(CognitoIdentityProviderClient))));
  beforeEach(() => mock.reset());
  after(() => mock.restore());
}
