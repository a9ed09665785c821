// Benchmark worker: times one training workload per message.
import init, { benchWorkload } from './pkg/sparse_rnn_lab.js';

const ready = init();
self.onmessage = async ({ data }) => {
  await ready;
  try {
    self.postMessage({ id: data.id, result: benchWorkload(data.name, data.targetMs) });
  } catch (e) {
    self.postMessage({ id: data.id, error: String(e && e.message ? e.message : e) });
  }
};
