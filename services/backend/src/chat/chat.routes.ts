import type { FastifyInstance } from 'fastify';
import {
  AddMembersBody,
  ConversationPage,
  ConversationView,
  CreateConversationBody,
  EditMessageBody,
  ErrorResponse,
  MarkReadBody,
  MemberList,
  MemberRemoved,
  MemberView,
  MessagePage,
  MessageView,
  ReadState,
  SendMessageBody,
} from '@ashchat/contracts';
import conversationRoutes from './conversation.routes.js';
import messageRoutes from './message.routes.js';
import type { ConversationService } from './conversation.service.js';
import type { MessageService } from './message.service.js';
import type { InboxReader } from './inbox.reader.js';

export interface ChatRoutesOptions {
  conversations: ConversationService;
  messages: MessageService;
  inbox: InboxReader;
}

/** The schemas the routes refer to by `$ref` (listed once in the OpenAPI document); MessageView before its users. */
const SHARED_SCHEMAS = [
  ErrorResponse,
  MessageView,
  ConversationView,
  CreateConversationBody,
  AddMembersBody,
  MemberRemoved,
  MemberView,
  MemberList,
  ConversationPage,
  SendMessageBody,
  EditMessageBody,
  MessagePage,
  MarkReadBody,
  ReadState,
];

/** The chat REST API in one scope, so both route groups share the schemas. */
export default async function chatRoutes(app: FastifyInstance, opts: ChatRoutesOptions): Promise<void> {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  conversationRoutes(app, opts.conversations, opts.inbox);
  messageRoutes(app, opts.messages);
}
