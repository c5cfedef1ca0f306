import { type FormEvent, useId } from "react";
import { errorMessage, fieldError } from "./errors";
import { useSignIn } from "./session";

/** Email and password; shows the server's answer (e.g. "Wrong email or password") when it says no. */
export function LoginForm({ title, intro }: { title: string; intro: string }) {
  const signIn = useSignIn();
  const id = useId();
  const error = signIn.error;
  const emailError = fieldError(error, "email");
  const passwordError = fieldError(error, "password");
  const formError = error && !emailError && !passwordError ? errorMessage(error) : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signIn.mutate({ email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") });
  }

  return (
    <main className="auth" id="main">
      <div className="card">
        <p className="brand" aria-hidden="true">
          WedSync
        </p>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
        <form onSubmit={submit} className="stack" aria-describedby={formError ? `${id}-error` : undefined}>
          {formError && (
            <p id={`${id}-error`} className="notice notice-error" role="alert">
              {formError}
            </p>
          )}
          <div className="field">
            <label htmlFor={`${id}-email`}>Email</label>
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              autoComplete="username"
              required
              aria-invalid={emailError ? true : undefined}
              aria-describedby={emailError ? `${id}-email-error` : undefined}
            />
            {emailError && (
              <p id={`${id}-email-error`} className="field-error">
                {emailError}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>Password</label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              aria-invalid={passwordError ? true : undefined}
              aria-describedby={passwordError ? `${id}-password-error` : undefined}
            />
            {passwordError && (
              <p id={`${id}-password-error`} className="field-error">
                {passwordError}
              </p>
            )}
          </div>
          <button type="submit" disabled={signIn.isPending}>
            {signIn.isPending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
