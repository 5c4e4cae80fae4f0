export type {
  Infra, InfraLogger, InfraPorts, ResolveOptions, ResolvedInfra, ServiceName, ServiceSource, SourceKind,
} from './infra.types.js';
export { DEFAULT_PORTS, SERVICE_NAMES } from './infra.types.js';
export { getInfra } from './get-infra.js';
export { findRepoRoot, resolveInfra, stderrLogger } from './infra.resolver.js';
export { startSmtpSink, type SmtpSink, type SmtpSinkOptions } from './smtp-sink.js';
export type { StoredMail } from './mail.store.js';
export { createMailbox, type Mailbox, type MailDetail, type MailList, type MailSummary } from './mailbox.js';
export { waitFor, type WaitForOptions } from './wait-for.js';
export { closeAllRabbitConnections, type CloseConnectionsOptions } from './rabbit-admin.js';
export { foreignCookieRabbitmqctl, manageableBroker, rabbitControl, type ManagedBroker, type RabbitControl, type RabbitControlOptions } from './rabbit-control.js';
export { closedPort, restartable, testSecret, uniqueName, type InProcessWorker } from './test-helpers.js';
export { startEntry, within, type RunningEntry } from './entry.process.js';
export { watchForParentDeath } from './process.util.js';
export { awaitReadiness, type ReadinessAnswer } from './readiness.poll.js';
export { ensureKeyspaceNotifications, pingRedis } from './redis.infra.js';
export { pingMongo } from './mongodb.infra.js';
export { pingAmqp } from './rabbitmq.infra.js';
export { mailApiAnswers, smtpBanner } from './smtp.infra.js';
export { apertiumAnswers, libretranslateAnswers, translationProvider, type TranslationProvider } from './translation.infra.js';
export { APERTIUM_MODES, APERTIUM_PACKAGES } from './apertium.installer.js';
export { FERRETDB_VERSION, ensureFerretdb } from './ferretdb.installer.js';
export { DEBIAN_CHROMIUM, ensureChromium, findChromium } from './chromium.js';
export { describeCycle, folderCycles, folderGraph, relativeImports, type FolderGraph } from './folder-cycles.js';
export { proxyFor, startTcpProxy, type TcpProxy } from './tcp.proxy.js';
