export function SignUpScreen() {
  return <main class="card-page" />;
}
