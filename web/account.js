// @ts-check
// The account card: sign up (with a confirmation code when the pool sends one), sign in, sign out, the password
// field's rules and Show/Hide. What a sign-in or sign-out changes elsewhere on the page is the app's (the session
// tells it through onChange).
import { $ } from './dom.js';
import { showErrorCard } from './dom.js';
import { ApiError, describe } from './errors.js';

/**
 * @typedef {import('./session.js').Session} Session
 * @typedef {import('./session.js').User} User
 * @typedef {import('./user-pool.js').UserPoolClient} UserPoolClient
 */

export function createAccountPanel() {
  /** @type {UserPoolClient | null} */
  let pool = null;
  /** @type {Session | null} */
  let session = null;
  let passwordRulesText = '';
  /** A sign-up (or sign-in) waiting for its confirmation code; the password stays in memory only. */
  /** @type {{ email: string, password: string } | null} */
  let awaitingCode = null;

  /** @param {string} text */
  function setStatus(text) {
    $('auth-status').textContent = text;
  }

  /** @param {unknown} error */
  function showError(error) {
    showErrorCard('auth-error', error, { passwordRules: passwordRulesText });
  }

  /** @param {boolean} busy */
  function setBusy(busy) {
    for (const id of ['sign-in', 'sign-up', 'confirm', 'resend-code', 'sign-out']) {
      /** @type {HTMLButtonElement} */ ($(id)).disabled = busy || !session;
    }
  }

  /** @returns {{ email: string, password: string } | null} */
  function readCredentials() {
    const email = /** @type {HTMLInputElement} */ ($('email')).value.trim();
    const password = /** @type {HTMLInputElement} */ ($('password')).value;
    if (!email || !password) {
      showError(new ApiError('Page', 'MissingInput', 'Enter an email and a password.'));
      return null;
    }
    return { email, password };
  }

  /** Runs one account action: busy buttons, errors in the account card. @param {() => Promise<void>} action */
  async function accountAction(action) {
    showError(null);
    setBusy(true);
    try {
      await action();
    } catch (error) {
      setStatus('');
      if (error instanceof ApiError && error.type === 'UserNotConfirmedException') askForCode(null);
      showError(error);
    } finally {
      setBusy(false);
    }
  }

  /** @param {{ email: string, password: string }} credentials */
  async function signUpWith(credentials) {
    if (!pool) return;
    setStatus(`Creating an account for ${credentials.email}…`);
    const { confirmed, codeSentTo } = await pool.signUp(credentials.email, credentials.password);
    if (!confirmed) {
      awaitingCode = credentials;
      askForCode(codeSentTo);
      setStatus(`Account created for ${credentials.email}: enter the confirmation code to finish.`);
      return;
    }
    await signInWith(credentials);
  }

  /** @param {{ email: string, password: string }} credentials */
  async function signInWith(credentials) {
    if (!session) return;
    setStatus(`Signing in as ${credentials.email}…`);
    try {
      await session.signIn(credentials.email, credentials.password);
      setStatus(''); // the signed-in line says who
      /** @type {HTMLInputElement} */ ($('password')).value = '';
      awaitingCode = null;
      $('confirm-form').hidden = true;
    } catch (error) {
      if (error instanceof ApiError && error.type === 'UserNotConfirmedException') awaitingCode = credentials;
      throw error;
    }
  }

  /** @param {string | null} codeSentTo */
  function askForCode(codeSentTo) {
    $('confirm-form').hidden = false;
    $('code-hint').textContent = codeSentTo ? `Sent to ${codeSentTo}.` : 'Sent by email when you signed up.';
    /** @type {HTMLInputElement} */ ($('code')).focus();
  }

  /** @param {SubmitEvent} event */
  function submitAuth(event) {
    event.preventDefault();
    const credentials = readCredentials();
    if (!credentials || !pool || !session) return;
    const signUp = /** @type {HTMLElement | null} */ (event.submitter)?.id === 'sign-up';
    void accountAction(() => (signUp ? signUpWith(credentials) : signInWith(credentials)));
  }

  /** @param {SubmitEvent} event */
  function submitCode(event) {
    event.preventDefault();
    const code = /** @type {HTMLInputElement} */ ($('code')).value.trim();
    const pending = awaitingCode ?? readCredentials();
    const userPool = pool;
    if (!pending || !userPool) return;
    if (!code) {
      showError(new ApiError('Page', 'MissingInput', 'Enter the confirmation code.'));
      return;
    }
    void accountAction(async () => {
      await userPool.confirmSignUp(pending.email, code);
      /** @type {HTMLInputElement} */ ($('code')).value = '';
      await signInWith(pending);
    });
  }

  function resendCode() {
    const pending = awaitingCode ?? readCredentials();
    const userPool = pool;
    if (!pending || !userPool) return;
    void accountAction(async () => {
      const sentTo = await userPool.resendConfirmationCode(pending.email);
      setStatus(`A new code was sent${sentTo ? ` to ${sentTo}` : ''}.`);
    });
  }

  function signOut() {
    const current = session;
    if (!current) return;
    void accountAction(async () => {
      const email = current.user()?.email ?? '';
      const { error } = await current.signOut();
      setStatus(error
        ? `Signed out of this page; the user pool could not end the session (${describe(error)}).`
        : `${email} signed out.`);
    });
  }

  function togglePasswordVisibility() {
    const input = /** @type {HTMLInputElement} */ ($('password'));
    const button = $('toggle-password');
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    button.textContent = show ? 'Hide' : 'Show';
    button.setAttribute('aria-pressed', String(show));
  }

  $('auth-form').addEventListener('submit', (event) => submitAuth(/** @type {SubmitEvent} */ (event)));
  $('confirm-form').addEventListener('submit', (event) => submitCode(/** @type {SubmitEvent} */ (event)));
  $('resend-code').addEventListener('click', resendCode);
  $('sign-out').addEventListener('click', signOut);
  $('toggle-password').addEventListener('click', togglePasswordVisibility);
  setBusy(true);

  return {
    /** Once the configuration is read. @param {UserPoolClient} userPool @param {Session} userSession @param {string} rules */
    connect(userPool, userSession, rules) {
      pool = userPool;
      session = userSession;
      passwordRulesText = rules;
      setBusy(false);
    },
    /** @param {User | null} user */
    render(user) {
      $('signed-out').hidden = user !== null;
      $('signed-in').hidden = user === null;
      $('user-email').textContent = user?.email ?? '';
    },
    setStatus,
    showError,
  };
}
