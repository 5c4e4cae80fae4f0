export function DeviceChallengeScreen() {
  return <main class="card-page" />;
}
