"""CallWithUs's side of the state: accounts by username and key, web callbacks, billing."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from emulator import numbers
from emulator.calls import Call, CallLog, WebCallback
from emulator.clock import Clock
from emulator.errors import AuthenticationFailed, LowBalance, NoRoute, UnknownTenant
from emulator.history import generate, scenario_record
from emulator.ledger import Account, Cdr, billed_seconds, price_for
from emulator.network import Disposition, Leg, Network
from emulator.scenario.model import AccountSpec, CallWithUsSpec

_CAUSE = {
    Disposition.ANSWERED: "ANSWER",
    Disposition.BUSY: "BUSY",
    Disposition.CONGESTION: "CONGESTION",
    Disposition.FAILED: "FAILED",
    Disposition.NO_ANSWER: "NO ANSWER",
    Disposition.HANGUP: "NO ANSWER",
    Disposition.CANCELLED: "NO ANSWER",
}


class CallWithUsState:
    """Accounts as loaded from the scenario, and the callbacks placed for them."""

    def __init__(
        self, spec: CallWithUsSpec, *, clock: Clock, network: Network, calls: CallLog, seed: int
    ) -> None:
        self.spec = spec
        self.clock = clock
        self.network = network
        self.calls = calls
        self.seed = seed
        self.accounts: dict[str, Account] = {}
        self._by_key: dict[str, str] = {}
        self.callbacks: dict[str, WebCallback] = {}
        for account_spec in spec.accounts:
            self._install(account_spec)

    def _install(self, spec: AccountSpec) -> Account:
        account = Account.from_spec(spec)
        for written in spec.history.records:
            account.add_record(scenario_record(account, written))
        start = self.clock.time()
        for record in generate(account, spec.history.generate, start, self.seed):
            account.add_record(record)
        self.accounts[spec.username] = account
        if spec.key:
            self._by_key[spec.key] = spec.username
        return account

    # -- tenants ------------------------------------------------------------------------

    def authenticate(self, username: str | None, password: str | None, key: str | None) -> Account:
        """The account these credentials open; a key, when given, is the only credential read."""
        if key is not None:
            found = self._by_key.get(key)
            if found is None:
                raise AuthenticationFailed(f"unknown key {key!r}")
            return self.accounts[found]
        if not username:
            raise AuthenticationFailed("no username or key given")
        account = self.accounts.get(username)
        if account is None:
            raise AuthenticationFailed(f"unknown username {username!r}")
        if account.spec.password is None or password != account.spec.password:
            what = "no password given" if not password else "password does not match"
            raise AuthenticationFailed(f"{what} for username {username}")
        return account

    def find(self, username: str | None = None, key: str | None = None) -> Account:
        name = self._by_key.get(key or "") if key is not None else username
        if name is None or name not in self.accounts:
            raise UnknownTenant(
                f"no CallWithUs account with {'key' if key else 'username'} "
                f"{key if key else username!r}"
            )
        return self.accounts[name]

    def reset_account(self, account: Account) -> None:
        """Back to the scenario's account, its own calls ended first."""
        for callback in list(self.callbacks.values()):
            if callback.call.tenant == account.username:
                callback.abort()
        self._install(account.spec)

    def tenants(self) -> Iterable[Account]:
        return self.accounts.values()

    # -- web callback -------------------------------------------------------------------

    def start_callback(
        self,
        account: Account,
        *,
        first: str,
        second: str,
        timeout: float,
        maxtime: float | None,
    ) -> WebCallback:
        if account.balance < account.spec.low_balance:
            raise LowBalance(
                f"balance {account.balance} is below the low-balance threshold "
                f"{account.spec.low_balance} of username {account.username}"
            )
        for number in (first, second):
            if not account.rates_for(number):
                plan = f"the rate plan of username {account.username}"
                raise NoRoute(f"{plan} has no price for {number}")
        call = self.calls.new("callwithus", account.username, first=first, second=second)
        callback = WebCallback(
            call,
            self.network,
            first=first,
            second=second,
            timeout=timeout,
            maxtime=maxtime,
            on_leg_end=lambda c, leg: self._bill(account, c, leg),
        )
        self.callbacks[call.id] = callback
        callback.start()
        return callback

    def _bill(self, account: Account, call: Call, leg: Leg) -> None:
        if self.accounts.get(account.username) is not account:
            return  # the account was reset under a call still in progress
        rates = account.rates_for(leg.number)
        rate = rates[0] if rates else Decimal("0")
        seconds = billed_seconds(leg.talk_seconds)
        account.charge(
            Cdr(
                when=leg.started_at,
                length=seconds,
                from_number=leg.caller_id,
                to_number=leg.number,
                destination=numbers.destination_name(leg.number),
                cause=_CAUSE[leg.disposition or Disposition.FAILED],
                rate=rate,
                price=price_for(rate, seconds),
            )
        )
