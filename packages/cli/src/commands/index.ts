import type { Command } from '../command.js';
import { backendsCommand } from './backends.js';
import { captionCommand } from './caption.js';
import { doctorCommand } from './doctor.js';
import { evalCommand } from './eval.js';
import { infoCommand } from './info.js';
import { lectureCommand } from './lecture.js';
import { listCommand } from './list.js';
import { nativeCommand } from './native.js';
import { newCommand } from './new.js';
import { pluginsCommand } from './plugins.js';
import { predictCommand } from './predict.js';
import { recipeCommand } from './recipe.js';
import { sampleCommand } from './sample.js';
import { trainCommand } from './train.js';
import { visualizeCommand } from './visualize.js';
import { translateCommand } from './translate.js';
import { transcribeCommand } from './transcribe.js';

export const COMMANDS: readonly Command[] = [
  pluginsCommand,
  listCommand,
  infoCommand,
  backendsCommand,
  nativeCommand,
  doctorCommand,
  trainCommand,
  evalCommand,
  predictCommand,
  visualizeCommand,
  sampleCommand,
  translateCommand,
  captionCommand,
  transcribeCommand,
  recipeCommand,
  lectureCommand,
  newCommand,
];
