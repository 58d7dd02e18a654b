"""Prints the evaluators of the chain the host built, outermost first, as
`pyhooks check` names them: "evaluators: native_names -> jit"."""
import pyhooks

evaluators = [plugin["name"] for plugin in sorted(
    (p for p in pyhooks.chain() if p["position"] is not None),
    key=lambda p: p["position"]) if "evaluator" in plugin["roles"]]
print("evaluators:", " -> ".join(evaluators))
