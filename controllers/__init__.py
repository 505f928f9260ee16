
from . import webhook
