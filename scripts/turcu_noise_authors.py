# The reference for the Turcu noise claim: the authors' Regular SRNN (BPTT/Regular/
# srnn_helpers.py of github.com/DenisTurcu/SparseRNN, not vendored here: fetch it and delete
# its plotting imports) on the claim's setting, measured with their own noise test
# (`SRNN.test`). Run beside it (needs torch):
#   python scripts/turcu_noise_authors.py SEED [EPOCHS=100] > authors_SEED.txt
# The last line is JSON: per-step accuracy (%) clean and for each (σ_p, σ_n).
import sys, json, numpy as np, torch
from srnn_helpers import SRNN, tanh_shifted_and_scaled2one, loss_ReLU_on_targets
seed = int(sys.argv[1]); epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 100
np.random.seed(seed); torch.manual_seed(seed)
targets = np.ones([2, 20]); targets[0, :] = 0.03; targets[1, :] = 0.02   # 0.6 / 0.4 of the mean of 5 read neurons, /N
net = SRNN(computing_mode='CPU', N=100, connections_denseness=0.05, alpha=0.5, targets=targets, P=None,
           readout_requires_grad=False, learning_rate=0.15,
           firing_rate_function=(lambda x: tanh_shifted_and_scaled2one(x, -0.5)),
           loss_function=loss_ReLU_on_targets, E_to_I_neurons_ratio=None, initialization_type_for_J='random',
           N_epochs=epochs, dt=0.1, ON_time=10, total_time_multiple=5, sparse_readout_mask='yes',
           store_history=[], verbose=False)
net.train()
out = {"seed": seed, "epochs": epochs, "P": int(net.P), "clean": [float(a) for a in net.final_accuracy]}
grid = [(0.2, 0.1), (0.1, 0.0), (0.2, 0.0), (0.4, 0.0), (0.0, 0.05), (0.0, 0.1), (0.0, 0.2)]
for sp, sn in grid:
    torch.manual_seed(1000 + seed)
    net.test(sigma_patterns=sp, sigma_neurons=sn, pattern_repeats=4)
    out[f"sp{sp}_sn{sn}"] = [float(a) for a in net.test_results[(sp, sn)][-1]]
print(json.dumps(out), flush=True)
