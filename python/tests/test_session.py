"""The Python API over the core's Session: training, bit-identity with `srnn train`,
the NumPy round trip, errors that name the field, trials, the catalog, the GIL."""

import json
import subprocess
import threading

import numpy as np
import pytest

import sparse_rnn_lab as srnn

XOR = {
    "task": {"id": "jl-xor"},
    "network": {"n_neurons": 32, "k": 8},
    "train": {"batch_size": 16, "seed": 3, "learning_rate": 0.01},
}


def test_trains_and_evaluates_through_the_core_session():
    s = srnn.Session(XOR)
    before = s.evaluate()
    records = s.train(300, eval_every=100, progress=False)
    assert [r["step"] for r in records] == [100, 200, 300]
    assert s.step == 300 and len(s.loss_history) == 300
    assert s.loss_history[-20:].mean() < 0.5 * s.loss_history[:20].mean()
    after = s.evaluate()
    assert after["accuracy"] > before["accuracy"] + 0.2, (before, after)
    assert records[-1]["performance"] == pytest.approx(after["accuracy"])


def test_weights_are_bit_identical_to_srnn_train(tmp_path, srnn_binary):
    run = tmp_path / "run.json"
    run.write_text(json.dumps(XOR))
    out = subprocess.run(
        [srnn_binary, "train", "--config", run, "--steps", "40", "--eval-every", "20",
         "--npz", tmp_path / "cli.npz", "--quiet"],
        check=True, capture_output=True, text=True,
    )
    cli_lines = [json.loads(line) for line in out.stdout.splitlines()]
    s = srnn.Session(json.dumps(XOR))
    records = s.train(40, eval_every=20, progress=False)
    cli = np.load(tmp_path / "cli.npz")
    ours = s.weights()
    for key in ["W_in", "W_rec", "W_out", "b_rec", "Connectivity_rec", "dale_signs"]:
        assert ours[key].dtype == np.float32
        assert np.array_equal(ours[key], cli[key]), key
    for line, record in zip(cli_lines, records, strict=True):
        assert line["step"] == record["step"]
        assert np.float32(line["train_loss"]) == np.float32(record["train_loss"])
        assert np.float32(line["performance"]) == np.float32(record["performance"])
    # the .npz writer of the CLI and of the API are the same
    s.export_npz(tmp_path / "api.npz")
    api = np.load(tmp_path / "api.npz")
    assert np.array_equal(api["W_rec"], cli["W_rec"]) and np.array_equal(api["ob"], cli["ob"])


def test_numpy_round_trip_and_checked_writes():
    trained = srnn.Session(XOR)
    trained.train(100, progress=False)
    fresh = srnn.Session(XOR)
    assert not np.array_equal(fresh.weights()["W_rec"], trained.weights()["W_rec"])
    fresh.set_weights(trained.weights())
    for key in ["W_in", "W_rec", "W_out", "b_rec"]:
        assert np.array_equal(fresh.weights()[key], trained.weights()[key]), key
    assert fresh.evaluate() == trained.evaluate()
    # a silenced readout changes what the network does
    w = trained.weights()
    fresh.set_weights({"W_out": np.zeros_like(w["W_out"])})
    assert fresh.evaluate()["loss"] != trained.evaluate()["loss"]
    # off the connectivity mask: refused, nothing changed
    off = np.argwhere(w["Connectivity_rec"] == 0)[0]
    bad = w["W_rec"].copy()
    bad[tuple(off)] = 0.5
    with pytest.raises(srnn.ConfigError, match="W_rec") as info:
        fresh.set_weights({"W_rec": bad, "W_in": np.zeros_like(w["W_in"])})
    assert info.value.field == "W_rec"
    assert np.array_equal(fresh.weights()["W_in"], w["W_in"])
    with pytest.raises(srnn.ConfigError, match="shape"):
        fresh.set_weights({"W_out": np.zeros((3, 3))})
    with pytest.raises(srnn.ConfigError, match="W_typo"):
        fresh.set_weights({"W_typo": np.zeros(3)})


def test_dale_signs_are_kept_on_set_weights():
    run = {"task": {"id": "jl-xor"}, "network": {"n_neurons": 40, "k": 8, "excitatory_fraction": 0.8}}
    s = srnn.Session(run)
    w = s.weights()
    signs = w["dale_signs"]
    nz = np.argwhere(w["W_rec"] != 0)
    assert np.all(np.sign(w["W_rec"][nz[:, 0], nz[:, 1]]) == signs[nz[:, 1]])
    flipped = w["W_rec"].copy()
    i, j = nz[0]
    flipped[i, j] = -flipped[i, j]
    with pytest.raises(srnn.ConfigError, match="Dale"):
        s.set_weights({"W_rec": flipped})
    s.set_weights({"W_rec": 2 * w["W_rec"]})
    assert np.array_equal(s.weights()["W_rec"], 2 * w["W_rec"])


@pytest.mark.parametrize(
    "run, field",
    [
        ({"task": {"id": "jl-xor"}, "network": {"n_neurons": 10, "k": 11}}, "k"),
        ({"task": {"id": "jl-xor"}, "network": {"dt_ms": "fast"}}, "network.dt_ms"),
        ({"task": {"id": "jl-xor"}, "train": {"learning_rate": -1.0}}, "learning_rate"),
        ({"task": {"id": "no-such-task"}}, "no-such-task"),
        ({"task": {"id": "jl-xor"}, "extra": 1}, "extra"),
        ({"task": {"id": "jl-xor"}, "rule": "sgd"}, "rule.rule"),
        ("{not json", "run"),
        (42, "run"),
    ],
)
def test_bad_run_descriptions_raise_errors_naming_the_field(run, field):
    with pytest.raises(srnn.SrnnError, match=field.replace(".", r"\.")):
        srnn.Session(run)
    assert issubclass(srnn.ConfigError, ValueError)


def test_bad_arguments_name_the_argument():
    s = srnn.Session(XOR)
    for kwargs, field in [({"steps": 0}, "steps"), ({"steps": 5, "eval_every": -1}, "eval_every"),
                          ({"steps": 5, "until_mean": 2}, "until_mean")]:
        with pytest.raises(srnn.ConfigError, match=field) as info:
            s.train(**kwargs)
        assert info.value.field == field
    with pytest.raises(srnn.ConfigError, match="threads"):
        srnn.Session(XOR, threads=0)


def test_until_mean_stops_at_the_criterion():
    s = srnn.Session(XOR)
    records = s.train(2000, until_mean=0.75, eval_every=50, progress=False)
    assert records[-1]["performance"] >= 0.75
    assert all(r["performance"] < 0.75 for r in records[:-1])
    assert s.step == records[-1]["step"] < 2000


def test_trial_is_neurogym_shaped():
    s = srnn.Session({"task": {"id": "yang-delaygo"}, "network": {"n_neurons": 16, "k": 4}})
    t = s.trial(seed=7)
    steps = t["ob"].shape[0]
    assert t["ob"].shape == (steps, s.task_spec["n_inputs"])
    assert t["gt"].dtype == np.int64 and t["gt"].shape == (steps,)
    go = t["periods"]["go"]
    assert np.all(t["gt"][: go[0]] == 0) and np.all((t["gt"][go[0]:] >= 1) & (t["gt"][go[0]:] <= 32))
    assert np.array_equal(s.trial(seed=7)["ob"], t["ob"])
    assert srnn.Session(XOR).trial()["gt"] is None  # not the Yang output layout


def test_task_catalog_lists_the_registry():
    ids = {t["id"] for t in srnn.task_catalog()}
    assert {"jl-xor", "yang-go", "turcu-classification"} <= ids
    assert all(set(t) == {"id", "name", "paper", "family"} for t in srnn.task_catalog())


def test_reproduce_returns_claims_as_dicts():
    with pytest.raises(srnn.SrnnError, match="nope"):
        srnn.reproduce("nope")


def test_training_releases_the_gil():
    s = srnn.Session({**XOR, "network": {"n_neurons": 128, "k": 16}}, threads=1)
    ticks = [0]
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks[0] += 1

    thread = threading.Thread(target=count)
    thread.start()
    try:
        before = ticks[0]
        s._native.train_chunk(150)  # one native call
        during = ticks[0] - before
    finally:
        stop.set()
        thread.join()
    # with the GIL held for the whole call the counting thread could not run at all
    assert during > 1000, during


def test_progress_bar_only_when_asked_or_on_a_terminal(capsys):
    s = srnn.Session(XOR)
    s.train(20, progress=None)  # pytest's stderr is not a terminal
    assert capsys.readouterr().err == ""
    pytest.importorskip("tqdm")
    s.train(20, progress=True)
    assert "20/20" in capsys.readouterr().err
