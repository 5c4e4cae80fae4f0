export function VerifyScreen() {
  return <main class="card-page" />;
}
