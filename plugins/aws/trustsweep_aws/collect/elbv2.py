"""ELBv2 (per region): every load balancer listener with its protocol and TLS policy.

The TLS protocols of each policy in use come from ``describe_ssl_policies`` (one call), so custom
and future policy names are judged by their content, not a hard-coded list.
"""

from __future__ import annotations

from .base import AwsCollector, paginate

LISTENER = "aws.elbv2.listener"
TYPES = (LISTENER,)
REGIONAL = True


def collect(ctx: AwsCollector) -> None:
    elb = ctx.client("elbv2")
    listeners = []
    for lb in paginate(elb, "describe_load_balancers", "LoadBalancers"):
        for listener in paginate(elb, "describe_listeners", "Listeners", LoadBalancerArn=lb["LoadBalancerArn"]):
            listeners.append((lb, listener))
    names = sorted({li["SslPolicy"] for _, li in listeners if li.get("SslPolicy")})
    protocols: dict[str, list[str]] = {}
    if names:
        for policy in elb.describe_ssl_policies(Names=names).get("SslPolicies") or []:
            protocols[policy["Name"]] = list(policy.get("SslProtocols") or [])
    for lb, listener in listeners:
        policy = listener.get("SslPolicy", "")
        ctx.add(
            LISTENER,
            listener["ListenerArn"],
            f"{lb.get('LoadBalancerName')}:{listener.get('Port')}",
            load_balancer=lb.get("LoadBalancerName", ""),
            type=lb.get("Type", ""),
            scheme=lb.get("Scheme", ""),
            protocol=listener.get("Protocol", ""),
            port=listener.get("Port"),
            ssl_policy=policy,
            tls_protocols=protocols.get(policy, []),
            redirects_to_https=any(
                (a.get("RedirectConfig") or {}).get("Protocol") == "HTTPS" for a in listener.get("DefaultActions") or []
            ),
        )
