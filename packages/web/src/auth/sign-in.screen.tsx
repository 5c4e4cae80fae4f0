export function SignInScreen() {
  return <main class="card-page" />;
}
