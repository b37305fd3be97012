import pytest
from test_smtp_params import *
import test_smtp_params as P

def test_rset_ignored(request, shared_tmp):
    from test_scache import CACHE_SETTINGS, _conn_uses, _deliver_in_turn, run_side as cache_side
    def check(mta, server):
        lines = _deliver_in_turn(mta, server, 2)
        print("USES", _conn_uses(lines), len(server.connections))
    cache_side("debian", request, dict(CACHE_SETTINGS), check,
               script={"stall": {"rset": P.RSET_STALL}, "hangup_ends_stall": True})
