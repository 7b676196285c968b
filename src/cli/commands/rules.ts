import type { Command } from 'commander';

/** `program check` and `evaluate`: the rules engine without a server (issue 3). */
export function registerRulesCommands(_cli: Command): void {}
