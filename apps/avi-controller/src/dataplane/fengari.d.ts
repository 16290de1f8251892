// The part of fengari (a Lua 5.3 VM in JavaScript, npm `fengari`) the datascript engine uses.
declare module 'fengari' {
  export type LuaState = { readonly __luaState: unique symbol };
  export type LuaString = Uint8Array;
  export type LuaJsFunction = (L: LuaState) => number;
  interface Lua {
    readonly LUA_OK: number;
    readonly LUA_MASKCOUNT: number;
    readonly LUA_REGISTRYINDEX: number;
    readonly LUA_TNIL: number;
    readonly LUA_TBOOLEAN: number;
    readonly LUA_TSTRING: number;
    readonly LUA_TNUMBER: number;
    readonly LUA_TTABLE: number;
    lua_sethook(L: LuaState, f: (L: LuaState, ar: unknown) => void, mask: number, count: number): void;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_settop(L: LuaState, idx: number): void;
    lua_gettop(L: LuaState): number;
    lua_tostring(L: LuaState, idx: number): LuaString | null;
    lua_type(L: LuaState, idx: number): number;
    lua_toboolean(L: LuaState, idx: number): boolean;
    lua_tonumber(L: LuaState, idx: number): number;
    lua_pushstring(L: LuaState, s: LuaString): void;
    lua_pushnil(L: LuaState): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushjsfunction(L: LuaState, f: LuaJsFunction): void;
    lua_newtable(L: LuaState): void;
    lua_setfield(L: LuaState, idx: number, k: LuaString): void;
    lua_getfield(L: LuaState, idx: number, k: LuaString): number;
    lua_setglobal(L: LuaState, name: LuaString): void;
    lua_getglobal(L: LuaState, name: LuaString): number;
    lua_rawgeti(L: LuaState, idx: number, n: number): number;
    lua_next(L: LuaState, idx: number): number;
    lua_pop(L: LuaState, n: number): void;
  }
  interface LuaL {
    luaL_newstate(): LuaState;
    luaL_loadbuffer(L: LuaState, buf: LuaString, sz: number | null, name: LuaString): number;
    luaL_error(L: LuaState, msg: LuaString): never;
    luaL_ref(L: LuaState, t: number): number;
    luaL_requiref(L: LuaState, modname: LuaString, openf: LuaJsFunction, glb: number): void;
  }
  interface LuaLib {
    luaopen_base: LuaJsFunction;
    luaopen_string: LuaJsFunction;
    luaopen_table: LuaJsFunction;
    luaopen_math: LuaJsFunction;
  }
  const fengari: {
    lua: Lua;
    lauxlib: LuaL;
    lualib: LuaLib;
    to_luastring(s: string): LuaString;
    to_jsstring(s: LuaString): string;
  };
  export default fengari;
}
