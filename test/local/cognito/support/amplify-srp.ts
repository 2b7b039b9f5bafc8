// Amplify v6's own client-side SRP, the code its signIn runs, loaded from node_modules (the package does not
// export it). Tests hold the local pool's server-side SRP against it, and sign in with it over HTTP.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface AmplifyBigInteger {
  toString(radix: number): string;
}

export interface AmplifyAuthenticationHelper {
  A: AmplifyBigInteger;
  k: AmplifyBigInteger;
  getPasswordAuthenticationKey(input: {
    username: string;
    password: string;
    serverBValue: AmplifyBigInteger;
    salt: AmplifyBigInteger;
  }): Promise<Uint8Array>;
}

interface SrpModule {
  getAuthenticationHelper(userPoolName: string): Promise<AmplifyAuthenticationHelper>;
  getNowString(): string;
  getSignatureString(input: {
    userPoolName: string;
    username: string;
    challengeParameters: Record<string, string>;
    dateNow: string;
    hkdf: Uint8Array;
  }): string;
}

const authRoot = dirname(createRequire(import.meta.url).resolve('@aws-amplify/auth/package.json'));
const srpDir = join(authRoot, 'dist', 'esm', 'providers', 'cognito', 'utils', 'srp');

export const amplifySrp = (await import(pathToFileURL(join(srpDir, 'index.mjs')).href)) as SrpModule;
const bigIntegerModule = (await import(pathToFileURL(join(srpDir, 'BigInteger', 'index.mjs')).href)) as {
  BigInteger: new (value: string, radix: number) => AmplifyBigInteger;
};

export const amplifyBigInteger = (hex: string): AmplifyBigInteger => new bigIntegerModule.BigInteger(hex, 16);
