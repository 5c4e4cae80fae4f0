import { ChatLayout } from './chat.layout.view.js';
import { ConversationView } from './conversation.view.js';

/** One conversation at `/c/:conversationId`, beside the list on wide screens. */
export function ConversationScreen({ conversationId }: { conversationId: string }) {
  return <ChatLayout conversationId={conversationId}>{(chat) => <ConversationView key={conversationId} chat={chat} conversationId={conversationId} />}</ChatLayout>;
}
