import type { CliCommand } from '../command';

/** Every CLI command. Add new commands here (one file per command in this folder). */
export const COMMANDS: CliCommand[] = [];
