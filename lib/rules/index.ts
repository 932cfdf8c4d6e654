import type { Rule } from "./types";
import { chatTemplateRule } from "./chat-template";
import { conversionPrRule } from "./conversion-pr";
import { fetchFailedRule } from "./fetch-failed";
import { kerasLambdaRule } from "./keras-lambda";
import { lookalikeAuthorRule } from "./lookalike-author";
import { pickleImportsRule } from "./pickle-imports";
import { pickleWeightsRule } from "./pickle-weights";
import { remoteCodeRule } from "./remote-code";
import { scanIncompleteRule } from "./scan-incomplete";
import { scannerFlagRule } from "./scanner-flag";
import { spaceDockerRule } from "./space-docker";
import { spaceOauthRule } from "./space-oauth";
import { templateChangedRule } from "./template-changed";
import { unverifiedAuthorRule } from "./unverified-author";
import { weightsChangedRule } from "./weights-changed";
import { youngAccountRule } from "./young-account";

/**
 * Every repo rule. tests/unit/rules/registry.test.ts fails when a rule file in this folder is
 * missing here or has no test of its own. Rules are independent: their order never matters.
 * `leaked-token` is not a rule: it is a page annotation (a token visible in a file view or discussion).
 */
export const RULES: readonly Rule[] = [
  pickleWeightsRule,
  pickleImportsRule,
  scannerFlagRule,
  scanIncompleteRule,
  unverifiedAuthorRule,
  youngAccountRule,
  lookalikeAuthorRule,
  conversionPrRule,
  weightsChangedRule,
  remoteCodeRule,
  spaceDockerRule,
  spaceOauthRule,
  kerasLambdaRule,
  chatTemplateRule,
  templateChangedRule,
  fetchFailedRule,
];
