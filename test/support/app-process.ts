import { type ChildProcess, spawn } from 'node:child_process';

/** An app of this project running as its own process, from the build (`npm test` builds first). */
export class AppProcess {
  private log = '';

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
  }

  /**
   * Starts `node <script>` with exactly these variables (plus PATH), not the test's own, in
   * `cwd` (this project's folder unless given).
   */
  static start(script: string, env: Record<string, string>, options: { cwd?: string } = {}): AppProcess {
    return new AppProcess(
      spawn(process.execPath, [script], {
        cwd: options.cwd,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  }

  /** Runs `node <script>` expecting it to fail to start: its exit code and what it printed. */
  static async failure(script: string, env: Record<string, string>, options: { cwd?: string } = {}): Promise<{ code: number | null; output: string }> {
    const app = AppProcess.start(script, env, options);
    const code = await app.exited();
    return { code, output: app.output() };
  }

  output(): string {
    return this.log;
  }

  /** Resolves once stdout or stderr contains `text`; fails if the process exits first. */
  waitForOutput(text: string, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => finish(new Error(`exited with ${code} before printing ${JSON.stringify(text)}:\n${this.log}`));
      const timer = setTimeout(() => finish(new Error(`no ${JSON.stringify(text)} within ${timeoutMs} ms:\n${this.log}`)), timeoutMs);
      const check = () => this.log.includes(text) && finish();
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.child.stdout?.off('data', check);
        this.child.stderr?.off('data', check);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      this.child.stdout?.on('data', check);
      this.child.stderr?.on('data', check);
      this.child.once('exit', onExit);
      check();
    });
  }

  /** Resolves once `url` answers 200; fails if the process exits first. */
  async waitForReady(url: string, timeoutMs = 60_000): Promise<void> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (this.child.exitCode !== null) throw new Error(`exited with ${this.child.exitCode}:\n${this.log}`);
      const ok = await fetch(url).then((response) => response.ok, () => false);
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${url} not ready within ${timeoutMs} ms:\n${this.log}`);
  }

  /** Resolves with the exit code once the process has exited on its own. */
  exited(): Promise<number | null> {
    // 'close', not 'exit': by then everything the process printed has been read.
    if (this.child.exitCode !== null && this.child.stdout?.readableEnded !== false) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  /** Sends the signal and resolves with the exit code (null for a process ended by a signal). */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    // A process ended by a signal (as Nest re-raises SIGTERM after its shutdown hooks) has no exit code.
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => {
      this.child.once('exit', (code) => resolve(code));
      this.child.kill(signal);
    });
  }
}
