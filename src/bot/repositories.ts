/** The store as the bot uses it: runs and the audit log, saved plans, approvals, conversation references. */
import type { ConversationReference } from 'botbuilder';
import type { ApprovalRepository, ConversationRepository, PlanRepository } from '../store/bot-repositories';
import type { RunRepository } from '../store/run-repository';

/** The repositories the bot reads and writes; the composition root passes the open store. */
export interface BotRepositories {
  readonly runs: RunRepository;
  readonly plans: PlanRepository;
  readonly approvals: ApprovalRepository;
  readonly conversations: ConversationRepository<Partial<ConversationReference>>;
}
