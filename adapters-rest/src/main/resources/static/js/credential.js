// The credential this browser tab signed in with: kept for the browser session only
// (sessionStorage: gone when the tab closes, never sent anywhere but in the Authorization header,
// never put in a URL, since URLs end up in logs and history).

const KEY = 'orchestro.credential';

export function credential() {
  return sessionStorage.getItem(KEY);
}

export function signIn(value) {
  sessionStorage.setItem(KEY, value);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** The headers every request of the dashboard carries: the credential, when there is one. */
export function authorization() {
  const value = credential();
  return value ? { Authorization: `Bearer ${value}` } : {};
}
