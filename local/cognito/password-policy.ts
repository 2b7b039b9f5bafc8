// Cognito's default password policy: at least 8 characters with a lower-case letter, an upper-case letter,
// a digit and one of Cognito's symbols. A refusal names the first rule broken, as the service does.

export const MIN_PASSWORD_LENGTH = 8;

/** The characters Cognito counts as symbols (the space only counts between other characters). */
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

/** Why the password is refused (Cognito's InvalidPasswordException message), or null when it passes. */
export function passwordPolicyViolation(password: string): string | null {
  const chars = [...password];
  const rule = (reason: string) => `Password did not conform with policy: ${reason}`;
  if (chars.length < MIN_PASSWORD_LENGTH) return rule('Password not long enough');
  if (!chars.some((c) => c >= 'a' && c <= 'z')) return rule('Password must have lowercase characters');
  if (!chars.some((c) => c >= 'A' && c <= 'Z')) return rule('Password must have uppercase characters');
  if (!chars.some((c) => c >= '0' && c <= '9')) return rule('Password must have numeric characters');
  if (!chars.some((c) => SYMBOLS.has(c) && c !== ' ') && !/\S +\S/.test(password)) return rule('Password must have symbol characters');
  return null;
}
