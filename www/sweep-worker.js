// @ts-check
/**
 * One worker of the sweep pool (`sweep.js`): runs sweep points with `runSweepPoint`.
 * In: `{id, point}`. Out: `{id, result}` (the parsed result object) or `{id, error}`.
 */
import init, { runSweepPoint } from './pkg/sparse_rnn_lab.js';

const ready = init();

self.onmessage = async (event) => {
  const { id, point } = event.data;
  try {
    await ready;
    self.postMessage({ id, result: JSON.parse(runSweepPoint(JSON.stringify(point))) });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
