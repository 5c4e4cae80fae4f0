import { namespaceQueueNames } from '@ashchat/contracts';
import { createAmqpConnection, createSilentLogger, type Logger } from '@ashchat/messaging';

/**
 * Deletes every contract queue of a bench's namespace with its dead-letter queue (missing ones are
 * fine): a backend declares the queues of all its sagas, and a shared broker should not keep them.
 */
export async function deleteNamespaceQueues(amqpUri: string, namespace: string, logger: Logger = createSilentLogger()): Promise<void> {
  const amqp = createAmqpConnection({ uri: amqpUri, name: `bench-cleanup.${namespace}`, logger });
  try {
    for (const queue of namespaceQueueNames(namespace)) await amqp.queueDelete({ queue }).catch(() => undefined);
  } finally {
    await amqp.close();
  }
}
