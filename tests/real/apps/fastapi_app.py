# SPDX-License-Identifier: GPL-2.0-or-later
"""A FastAPI API with its security helpers, written as its documentation
shows: HTTPBearer, HTTPBasic, OAuth2PasswordBearer with JWTs and scopes.
Run: fastapi_app.py PORT."""

import secrets
import sys

import jwt
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Security, status
from fastapi.security import (HTTPAuthorizationCredentials, HTTPBasic, HTTPBasicCredentials, HTTPBearer,
                              OAuth2PasswordBearer, SecurityScopes)

KEY = "probewise-real-suite-shared-key-0123456789"
app = FastAPI()
bearer = HTTPBearer()
basic = HTTPBasic()
oauth2 = OAuth2PasswordBearer(tokenUrl="token", scopes={"items:read": "Read items"})


@app.get("/bearer")
def bearer_only(credentials: HTTPAuthorizationCredentials = Depends(bearer)):
    if credentials.credentials != "good-token":
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Invalid token",
                            headers={"WWW-Authenticate": "Bearer"})
    return {"ok": True}


@app.get("/basic")
def basic_only(credentials: HTTPBasicCredentials = Depends(basic)):
    good = secrets.compare_digest(credentials.username, "monitor") and secrets.compare_digest(
        credentials.password, "secret")
    if not good:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Incorrect username or password",
                            headers={"WWW-Authenticate": "Basic"})
    return {"ok": True}


def current_user(security_scopes: SecurityScopes, token: str = Depends(oauth2)):
    authenticate_value = 'Bearer scope="%s"' % security_scopes.scope_str if security_scopes.scopes else "Bearer"
    try:
        payload = jwt.decode(token, KEY, algorithms=["HS256"])
    except jwt.ExpiredSignatureError:
        raise HTTPException(status_code=401, detail="Token has expired",
                            headers={"WWW-Authenticate": authenticate_value})
    except jwt.PyJWTError:
        raise HTTPException(status_code=401, detail="Could not validate credentials",
                            headers={"WWW-Authenticate": authenticate_value})
    granted = payload.get("scope", "").split()
    for scope in security_scopes.scopes:
        if scope not in granted:
            raise HTTPException(status_code=401, detail="Not enough permissions",
                                headers={"WWW-Authenticate": authenticate_value})
    return payload["sub"]


@app.get("/items")
def items(user: str = Security(current_user, scopes=["items:read"])):
    return {"user": user}


def admin(user: str = Depends(current_user)):
    if user != "admin":
        raise HTTPException(status_code=403, detail="Not enough permissions")
    return user


@app.get("/admin")
def admin_only(user: str = Depends(admin)):
    return {"user": user}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
