export function PasswordResetScreen() {
  return <main class="card-page" />;
}
