"""Train one time-pulse network with tf.keras the way `binary_pulse_recurrent_main_to_loop.py` does.

    python3 scripts/jarne_laje_authors_pulse_keras.py <seed> <epochs> <delay ms> <N> [repo] [out.npz]

Runs beside ours, not part of the project (needs numpy, scipy, h5py and tensorflow-cpu in a
throw-away venv; tf.keras 2.21 here, the authors used Keras 2 of 2019). Their data set:
`generate_trials(15050, delay)` of their `code_paper_rep/generate_data_set_time_pulse.py`,
run unchanged through `scripts/jarne_laje_authors_pulse.py` (numpy seed 2, 300 steps, input
and target noise 0.03). Their model and schedule as their script states them: SimpleRNN(N,
tanh, no bias, Glorot-uniform kernel, orthogonal recurrent kernel) + Dense(1), MSE, Adam lr
1e-4 with Keras's old `decay=1e-4` (update k uses lr / (1 + 1e-4 k): `InverseTimeDecay`
here), β 0.9 / 0.999, ε 1e-8, batch 64, up to `epochs` epochs on trials 50–15 049, stop
after an epoch whose loss is below 1e-3; all-ones sample weights. One thread. Prints each
epoch's loss, then their distance on `x_train[0:10]` (`np.linalg.norm` of target − output
per trial, mean over the 10) from Keras's `predict` and from the numpy forward pass, and
writes the weights (Keras layout) to out.npz.

`LR=1e-3` in the environment replaces the starting learning rate 1e-4 (the decay stays), to
train their model with our quick claims' rate; `epochs` 1 is 234 steps (our quick: 250).
"""
import sys, time, os
os.environ["TF_NUM_INTRAOP_THREADS"] = "1"; os.environ["TF_NUM_INTEROP_THREADS"] = "1"
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jarne_laje_authors_pulse as J
import tensorflow as tf
tf.config.threading.set_intra_op_parallelism_threads(1); tf.config.threading.set_inter_op_parallelism_threads(1)
seed, epochs, gap, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
repo = sys.argv[5] if len(sys.argv) > 5 else "/work/.mirror/katejarne+RNN_study_with_keras/repo"
x, y, mask, T = J.generator(repo)(15050, gap)
tf.keras.utils.set_random_seed(seed)
model = tf.keras.Sequential([
    tf.keras.Input(shape=(None, 1)),
    tf.keras.layers.SimpleRNN(n, return_sequences=True, kernel_initializer="glorot_uniform",
                              recurrent_initializer="orthogonal", activation="tanh", use_bias=False),
    tf.keras.layers.Dense(1)])
lr = tf.keras.optimizers.schedules.InverseTimeDecay(float(os.environ.get("LR", "1e-4")), decay_steps=1, decay_rate=1e-4)
model.compile(loss="mse", optimizer=tf.keras.optimizers.Adam(learning_rate=lr, beta_1=0.9, beta_2=0.999, epsilon=1e-8))
class Stop(tf.keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        print(f"epoch {epoch} loss {logs['loss']:.5f} t {time.time()-t0:.0f} s", flush=True)
        if logs["loss"] < 1e-3: self.model.stop_training = True
t0 = time.time()
model.fit(x[50:], y[50:], epochs=epochs, batch_size=64, verbose=0, callbacks=[Stop()], sample_weight=mask[50:])
pred = model.predict(x[:10], verbose=0)[:, :, 0]
d = np.linalg.norm(y[:10, :, 0] - pred, axis=1)
rnn, dense = model.layers
net = {"w_in": rnn.get_weights()[0], "w_rec": rnn.get_weights()[1], "w_out": dense.get_weights()[0], "b": dense.get_weights()[1], "iterations": None}
pulse = x[:10, 50:70, 0].mean(1) > 0.5
print(f"keras seed {seed} N {n} gap {gap}: distance first 10 {d.mean():.3f} (pulse {d[pulse].mean():.3f}, none {d[~pulse].mean():.3f}); "
      f"numpy forward {np.linalg.norm(y[:10,:,0]-J.forward(net,x[:10]),axis=1).mean():.3f}; b_out {net['b'][0]:.4f}; {time.time()-t0:.0f} s", flush=True)
np.savez(sys.argv[6] if len(sys.argv) > 6 else f"keras_pulse_s{seed}_n{n}_g{gap}.npz", **{k: v for k, v in net.items() if v is not None})
