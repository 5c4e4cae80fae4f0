/** One conversation at `/c/:conversationId` (placeholder until the chat screens land). */
export function ConversationScreen({ conversationId }: { conversationId: string }) {
  return (
    <section class="page">
      <h1>{conversationId}</h1>
    </section>
  );
}
