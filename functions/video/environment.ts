/** Reads one setting of a pipeline function's environment (set by components/media/VideoPipeline.ts; nothing secret). */
export function fromEnvironment(env: NodeJS.ProcessEnv, fn: string): (name: string) => string {
  return (name) => {
    const value = env[name];
    if (!value) throw new Error(`the ${fn} function's environment has no ${name}`);
    return value;
  };
}
