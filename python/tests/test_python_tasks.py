"""Tasks defined in Python (a callable, a neurogym environment) trained by the core."""

import numpy as np
import pytest

import sparse_rnn_lab as srnn

RUN = {"network": {"n_neurons": 32, "k": 8}, "train": {"batch_size": 16, "seed": 5, "learning_rate": 0.01}}


def sign_task(seed):
    """Report the sign of a noisy constant input during the last 5 of 20 steps."""
    rng = np.random.default_rng(seed)
    level = rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 1.0)
    inputs = np.zeros((20, 1))
    inputs[:10, 0] = level + 0.1 * rng.standard_normal(10)
    targets = np.full((20, 1), np.sign(level))
    mask = np.zeros(20)
    mask[15:] = 1.0
    return inputs, targets, mask


def test_a_python_callable_trains_reproducibly():
    s = srnn.Session(RUN, task=sign_task)
    assert s.task_spec["n_inputs"] == 1 and s.task_spec["n_outputs"] == 1
    before = s.evaluate(200)["accuracy"]
    s.train(300, eval_every=300, progress=False)
    after = s.evaluate(200)["accuracy"]
    assert after >= 0.9 > before, (before, after)
    again = srnn.Session(RUN, task=sign_task)
    again.train(300, eval_every=300, progress=False)
    assert np.array_equal(again.weights()["W_rec"], s.weights()["W_rec"])


def test_errors_of_a_python_task_are_raised_not_trained_on():
    broken = {"now": False}

    def flaky(seed):
        if broken["now"]:
            raise RuntimeError("task broke")
        return sign_task(seed)

    s = srnn.Session(RUN, task=flaky)
    s.train(1, progress=False)
    w = s.weights()["W_rec"]
    broken["now"] = True
    with pytest.raises(RuntimeError, match="task broke"):
        s.train(5, progress=False)
    assert np.array_equal(s.weights()["W_rec"], w)  # the failed batch never trained

    def wrong_width(seed):
        inputs, targets, mask = sign_task(seed)
        return (np.zeros((20, 3)) if seed else inputs), targets, mask

    with pytest.raises(srnn.ConfigError, match="task inputs"):
        srnn.Session(RUN, task=wrong_width).train(2, progress=False)
    with pytest.raises(srnn.ConfigError, match="task mask"):
        srnn.Session(RUN, task=lambda seed: (np.zeros((5, 1)), np.zeros((5, 2)), np.ones((4, 2))))
    with pytest.raises(srnn.ConfigError, match="task"):
        srnn.Session(RUN, task=lambda seed: "not a trial")
    with pytest.raises(srnn.ConfigError, match="task targets"):
        srnn.Session(RUN, task=lambda seed: (np.zeros((5, 1)), np.full((5, 1), np.nan)))


def test_a_neurogym_environment_trains():
    ngym = pytest.importorskip("neurogym")
    env = ngym.make("PerceptualDecisionMaking-v0", dt=100)
    task = srnn.from_neurogym(env)
    s = srnn.Session({**RUN, "network": {"n_neurons": 48, "k": 12}}, task=task)
    spec = s.task_spec
    assert (spec["n_inputs"], spec["n_outputs"], spec["dt_ms"]) == (env.observation_space.shape[0], env.action_space.n, 100.0)
    # a trial is the environment's own: ob as inputs, gt one-hot
    inputs, targets, mask = task(11)
    env.unwrapped.seed(11)
    env.unwrapped.new_trial()
    assert np.array_equal(inputs, env.unwrapped.ob.astype(np.float32))
    assert np.array_equal(targets.argmax(1), env.unwrapped.gt)
    first = s.evaluate(128)
    s.train(400, eval_every=400, progress=False)
    last = s.evaluate(128)
    assert last["loss"] < 0.5 * first["loss"], (first, last)
    assert last["accuracy"] > first["accuracy"], (first, last)
    # the same weights scored on the decision steps only (gt != 0): the choice is learnt
    judge = srnn.Session(s.run, task=srnn.from_neurogym(env, scored="decision"))
    judge.set_weights(s.weights())
    assert judge.evaluate(128)["accuracy"] > 0.7
