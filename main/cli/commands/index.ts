import type { CliCommand } from '../command';
import { askCommand } from './ask';
import { budgetsCommand } from './budgets';
import { calibrateCommand } from './calibrate';
import { generateCommand } from './generate';
import { ingestCommand } from './ingest';
import { inspectCommand } from './inspect';
import { logitsCommand } from './logits';
import { makeCheckpointCommand } from './make-checkpoint';
import { niahCommand } from './niah';

/** Every CLI command. Add new commands here (one file per command in this folder). */
export const COMMANDS: CliCommand[] = [
  budgetsCommand,
  makeCheckpointCommand,
  logitsCommand,
  generateCommand,
  ingestCommand,
  calibrateCommand,
  niahCommand,
  inspectCommand,
  askCommand,
];
