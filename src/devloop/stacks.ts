// The seed's two development loops as data: which image, which port, which file a developer
// edits, the source of each edit, and the lines each server prints when it starts, reloads or
// gives up. Everything the drill does to a stack goes through this, so a third stack is one
// entry here.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageTarget } from '../config.ts';
import { PACKAGE_ROOT } from '../version.ts';

export type StackName = 'node' | 'flask';

export interface DevStack {
  name: StackName;
  displayName: string;
  /** The project's files as the seed writes them, from images/<folder>/ (the image's own copy). */
  folder: string;
  projectFiles: readonly string[];
  /** The file a developer edits. */
  sourceFile: string;
  port: number;
  /** The environment the seed's `docker run` sets. */
  env: Record<string, string>;
  /** The image's own modules, hidden by the bind mount unless an anonymous volume keeps them. */
  modulesPath?: string;
  /** The source with its answer to / carrying `marker`, and a loader for files in routes/. */
  edited(marker: string): string;
  /** A new file in routes/ that serves `marker` at /added. */
  newRoute(marker: string): { file: string; text: string };
  /** An edit that does not parse. */
  syntaxError(marker: string): string;
  /** The line the app prints each time it starts (after each restart too). */
  startLine: RegExp;
  /** The line the watcher prints when it noticed a change. */
  changeLine: RegExp;
  /** The line the watcher prints when the app would not start and it waits for the next edit. */
  waitingLine?: RegExp;
  /** A line that says why the app failed, for the report. */
  errorLine: RegExp;
}

export interface Watcher {
  name: string;
  /** How it notices an edit, for the report. */
  title: string;
  stack: StackName;
  image: ImageTarget;
  /** Files the developer's project carries to choose it (nodemon.json), none for the default. */
  projectConfig?: { file: string; text: string };
}

const NODE: DevStack = {
  name: 'node',
  displayName: 'Node (express under nodemon)',
  folder: 'devloop-node',
  projectFiles: ['package.json', 'server.js'],
  sourceFile: 'server.js',
  port: 3000,
  env: {},
  modulesPath: '/app/node_modules',
  edited: (marker) => fill('server.js.tmpl', marker),

  newRoute: (marker) => ({ file: 'routes/added.js', text: `module.exports = (app) => app.get('/added', (req, res) => res.send('${marker}'));\n` }),
  syntaxError: (marker) => `const express = require('express');\nconst app = express(;\n// ${marker}\n`,
  startLine: /Dev server running at/g,
  changeLine: /\[nodemon\] restarting due to changes/g,
  waitingLine: /\[nodemon\] app crashed - waiting for file changes/,
  errorLine: /^(?:\S*Error\b.*|sh: .*not found.*|npm error .*)$/m,
};

const FLASK: DevStack = {
  name: 'flask',
  displayName: 'Flask (app.py with debug=True)',
  folder: 'devloop-flask',
  projectFiles: ['app.py'],
  sourceFile: 'app.py',
  port: 5000,
  env: { FLASK_ENV: 'development' },
  edited: (marker) => fill('app.py.tmpl', marker),

  newRoute: (marker) => ({ file: 'routes/added.py', text: `def register(app):\n    app.add_url_rule('/added', 'added', lambda: '${marker}')\n` }),
  syntaxError: (marker) => `from flask import Flask\napp = Flask(__name__\n# ${marker}\n`,
  startLine: /Debugger is active/g,
  changeLine: /Detected change in/g,
  errorLine: /^\w*Error\b.*$/m,
};

/** The edited sources: the seed's file with its answer carrying the marker, and a loader for routes/. */
const TEMPLATES = new URL('./templates/', import.meta.url).pathname;
const templates = new Map<string, string>();
function fill(template: string, marker: string): string {
  if (!templates.has(template)) templates.set(template, readFileSync(join(TEMPLATES, template), 'utf8'));
  return templates.get(template)!.replaceAll('{{MARKER}}', marker);
}

export const STACKS: Record<StackName, DevStack> = { node: NODE, flask: FLASK };

export const WATCHERS: Watcher[] = [
  { name: 'nodemon-events', title: 'nodemon, file events (inotify)', stack: 'node', image: 'node' },
  {
    name: 'nodemon-polling',
    title: "nodemon --legacy-watch (polling), from the project's nodemon.json",
    stack: 'node',
    image: 'node',
    projectConfig: { file: 'nodemon.json', text: '{ "legacyWatch": true }\n' },
  },
  { name: 'werkzeug-stat', title: "Werkzeug's stat reloader (polls file times; the seed's image)", stack: 'flask', image: 'flask' },
  { name: 'werkzeug-watchdog', title: "Werkzeug's watchdog reloader (file events; watchdog installed)", stack: 'flask', image: 'flask_watchdog' },
];

/** The seed's project files, read from the folder the stand-in image is built from. */
export async function seedProject(stack: DevStack): Promise<Array<{ file: string; text: string }>> {
  return Promise.all(stack.projectFiles.map(async (file) => ({ file, text: await readFile(join(PACKAGE_ROOT, 'images', stack.folder, file), 'utf8') })));
}

/** How many times a pattern occurs in a log. */
export function occurrences(log: string, pattern: RegExp): number {
  return [...log.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))].length;
}
